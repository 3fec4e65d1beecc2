"""Ingest: the inbox's export files → load_files, followups, followups_history, quarantine.

One multi-asset, because one file is stored in one transaction across the four tables (its
valid rows, the versions they replace, its quarantined rows and its provenance row). The logic
lives in `uiv_core.ingest.loading`; this module only wires it to Dagster and reports metadata.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import column_schema, describe
from assets.versions import INGEST_CODE
from assets.resources import UivFolders
from uiv_core import __version__ as CODE_VERSION
from uiv_core.fingerprints import loaded_files_fingerprint, seen_files, seen_files_fingerprint, store_identity
from uiv_core.ingest.identity_numbers import mask_identity_numbers
from uiv_core.ingest.loading import ingest_inbox
from uiv_core.sql import query
from uiv_schema.codes import CONTRACT_VERSION

GROUP = "ingest"
KINDS = {"duckdb"}

INGEST_SPECS = [
    dg.AssetSpec("load_files", group_name=GROUP, kinds=KINDS, description=describe(
        "load_files", "Table `load_files`. The latest materialization shows this run's files and the store's "
                      "totals: files by status, quarantined rows by reason and by quarter.")),
    dg.AssetSpec("followups", group_name=GROUP, kinds=KINDS, description=describe(
        "followups", "Table `followups`: valid rows only, one per record id and municipality (a re-delivery "
                     "replaces the stored version).")),
    dg.AssetSpec("followups_history", group_name=GROUP, kinds=KINDS, description=describe(
        "followups_history", "Table `followups_history`: each replaced version with the file that replaced it.")),
    dg.AssetSpec("quarantine", group_name=GROUP, kinds=KINDS, description=describe(
        "quarantine", "Table `quarantine`: reason codes, columns and messages per row, the raw row as JSON.")),
]

def _files_table(outcomes) -> dg.MetadataValue:
    """The run's files as a Markdown table: what a user reads in the UI's materialization panel."""
    lines = ["| file | status | rows read | loaded | quarantined | replaced | quarters | message |",
             "|---|---|---:|---:|---:|---:|---|---|"]
    for o in outcomes:
        message = (o.message or "").replace("|", "/")
        lines.append(f"| {mask_identity_numbers(o.file_name)} | **{o.status}** | {o.rows_read} | {o.rows_loaded} | {o.rows_quarantined} "
                     f"| {o.rows_replaced} | {', '.join(o.quarters)} | {message} |")
    return dg.MetadataValue.md("\n".join(lines))


def _counts_table(header: tuple[str, ...], rows) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * (len(header) - 1) + "---:|"]
    lines += ["| " + " | ".join("(okänt)" if v is None else str(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines) if rows else "(inga)")


@dg.multi_asset(specs=INGEST_SPECS, can_subset=False, code_version=INGEST_CODE)
def ingest(context: dg.AssetExecutionContext, duckdb: DuckDBResource, folders: UivFolders):
    """Load every new export in the inbox (modification time, then name), one transaction a file.

    A refused file is data, not a failure: the other files load, the run goes on to the quarters,
    and the refusal shows in `load_files`, in the failed `no_refused_files` check (naming the file
    and the reason) and in `uiv refresh`'s exit code 1."""
    inbox = folders.inbox_path()
    Path(duckdb.database).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.get_connection() as con:
        outcomes = ingest_inbox(con, inbox, progress=context.log.info, log_dir=Path(folders.out) / "logs")
        followups, history, quarantined, files = con.execute(query("summary_ingest_tables")).fetchone()
        by_status = dict(con.execute(query("store_files_by_status")).fetchall())
        by_reason = con.execute(query("quarantine_by_reason")).fetchall()
        by_quarter = [(quarter, mask_identity_numbers(name), rows)
                      for quarter, name, rows in con.execute(query("quarantine_by_quarter")).fetchall()]
        seen = seen_files(con)
        sequence = loaded_files_fingerprint(con)
        schemas = column_schema(con, "load_files", "followups", "followups_history", "quarantine")

    reasons: dict[str, int] = {}
    for outcome in outcomes:
        for code, count in outcome.reasons.items():
            reasons[code] = reasons.get(code, 0) + count
    run = {
        "files": [
            {
                "file_name": mask_identity_numbers(o.file_name),
                "status": o.status,
                "rows_read": o.rows_read,
                "rows_loaded": o.rows_loaded,
                "rows_quarantined": o.rows_quarantined,
                "rows_replaced": o.rows_replaced,
                "message": o.message,
            }
            for o in outcomes
        ],
        "quarantined_by_reason": dict(sorted(reasons.items())),
    }
    status_counts = {s: sum(o.status == s for o in outcomes) for s in ("loaded", "unchanged", "refused")}
    if status_counts["refused"]:
        context.log.warning(f"{status_counts['refused']} file(s) refused: see load_files and the no_refused_files "
                            "check; the other files and the quarters go on")
    quality_page = Path(folders.out).resolve() / "quality" / "index.html"
    yield dg.MaterializeResult(
        asset_key="load_files",
        data_version=dg.DataVersion(seen_files_fingerprint(seen)),
        metadata={
            "inbox": dg.MetadataValue.path(str(inbox.resolve())),
            "files_loaded": status_counts["loaded"],
            "files_unchanged": status_counts["unchanged"],
            "files_refused": status_counts["refused"],
            "files": _files_table(outcomes),
            "run": dg.MetadataValue.json(run),
            "quarters_loaded": dg.MetadataValue.json(sorted({q for o in outcomes for q in o.quarters})),
            # what the store holds now, whatever this run did
            "dagster/row_count": files,
            "store_files_by_status": dg.MetadataValue.json(dict(sorted(by_status.items()))),
            "store_quarantined_by_reason": _counts_table(("skäl", "rader"), by_reason),
            "store_quarantined_by_quarter": _counts_table(("kvartal", "fil", "rader"), by_quarter),
            "quality_page": dg.MetadataValue.url(quality_page.as_uri()),
            # for the inbox sensor: the file contents this store has seen, and which store it is
            "database": dg.MetadataValue.path(str(Path(duckdb.database).resolve())),
            "store_identity": store_identity(duckdb.database),
            "seen_sha256": dg.MetadataValue.json(seen),
            "dagster/column_schema": schemas["load_files"],
            "contract": CONTRACT_VERSION,
            "code_version": CODE_VERSION,
        },
    )
    yield dg.MaterializeResult(
        asset_key="followups",
        data_version=dg.DataVersion(sequence),
        metadata={
            "dagster/row_count": followups,
            "rows_loaded_this_run": sum(o.rows_loaded for o in outcomes),
            "rows_replaced_this_run": sum(o.rows_replaced for o in outcomes),
            "dagster/column_schema": schemas["followups"],
        },
    )
    yield dg.MaterializeResult(asset_key="followups_history", data_version=dg.DataVersion(sequence),
                               metadata={"dagster/row_count": history,
                                         "dagster/column_schema": schemas["followups_history"]})
    yield dg.MaterializeResult(
        asset_key="quarantine",
        data_version=dg.DataVersion(sequence),
        metadata={
            "dagster/row_count": quarantined,
            "rows_quarantined_this_run": sum(o.rows_quarantined for o in outcomes),
            "quarantined_by_reason": dg.MetadataValue.json(run["quarantined_by_reason"]),
            "files_quarantining": dg.MetadataValue.json(
                {mask_identity_numbers(o.file_name): o.rows_quarantined for o in outcomes if o.rows_quarantined}),
            "store_quarantined_by_reason": _counts_table(("skäl", "rader"), by_reason),
            "store_quarantined_by_quarter": _counts_table(("kvartal", "fil", "rader"), by_quarter),
            "dagster/column_schema": schemas["quarantine"],
        },
    )
