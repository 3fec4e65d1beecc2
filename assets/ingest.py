"""Ingest: the inbox's export files → load_files, followups, followups_history, quarantine.

One multi-asset, because one file is stored in one transaction across the four tables (its
valid rows, the versions they replace, its quarantined rows and its provenance row). The logic
lives in `uiv_core.ingest.loading`; this module only wires it to Dagster and reports metadata.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import UivFolders
from uiv_core import __version__ as CODE_VERSION
from uiv_core.ingest.loading import ingest_inbox
from uiv_core.sql import query
from uiv_schema.codes import CONTRACT_VERSION

GROUP = "ingest"

INGEST_SPECS = [
    dg.AssetSpec("load_files", group_name=GROUP, description="One row per export file taken in: status, counts, message."),
    dg.AssetSpec("followups", group_name=GROUP, description="The current, validated version of every follow-up."),
    dg.AssetSpec("followups_history", group_name=GROUP, description="Follow-up versions replaced by a re-delivery."),
    dg.AssetSpec("quarantine", group_name=GROUP, description="Rows that broke the contract, with reasons and the raw row."),
]

def _files_table(outcomes) -> dg.MetadataValue:
    """The run's files as a Markdown table: what a user reads in the UI's materialization panel."""
    lines = ["| file | status | rows read | loaded | quarantined | replaced | quarters | message |",
             "|---|---|---:|---:|---:|---:|---|---|"]
    for o in outcomes:
        message = (o.message or "").replace("|", "/")
        lines.append(f"| {o.file_name} | **{o.status}** | {o.rows_read} | {o.rows_loaded} | {o.rows_quarantined} "
                     f"| {o.rows_replaced} | {', '.join(o.quarters)} | {message} |")
    return dg.MetadataValue.md("\n".join(lines))


@dg.multi_asset(specs=INGEST_SPECS, can_subset=False, code_version=CONTRACT_VERSION)
def ingest(context: dg.AssetExecutionContext, duckdb: DuckDBResource, folders: UivFolders):
    """Load every new export in the inbox (modification time, then name), one transaction a file.

    A file refused for the first time fails the run after every other file is stored and the
    materializations are recorded, so the refusal and its reason show as a failed run. A refused
    file left in the inbox is reported again, but does not fail later runs."""
    inbox = folders.inbox_path()
    Path(duckdb.database).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.get_connection() as con:
        outcomes = ingest_inbox(con, inbox, progress=context.log.info, log_dir=Path(folders.out) / "logs")
        followups, history, quarantined, files = con.execute(query("summary_ingest_tables")).fetchone()

    reasons: dict[str, int] = {}
    for outcome in outcomes:
        for code, count in outcome.reasons.items():
            reasons[code] = reasons.get(code, 0) + count
    run = {
        "files": [
            {
                "file_name": o.file_name,
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
    yield dg.MaterializeResult(
        asset_key="load_files",
        metadata={
            "inbox": str(inbox),
            "files_loaded": status_counts["loaded"],
            "files_unchanged": status_counts["unchanged"],
            "files_refused": status_counts["refused"],
            "files_total": files,
            "run": dg.MetadataValue.json(run),
            "files": _files_table(outcomes),
            "quarters_loaded": dg.MetadataValue.json(sorted({q for o in outcomes for q in o.quarters})),
            "contract": CONTRACT_VERSION,
            "code_version": CODE_VERSION,
        },
    )
    yield dg.MaterializeResult(
        asset_key="followups",
        metadata={
            "dagster/row_count": followups,
            "rows_loaded_this_run": sum(o.rows_loaded for o in outcomes),
            "rows_replaced_this_run": sum(o.rows_replaced for o in outcomes),
        },
    )
    yield dg.MaterializeResult(asset_key="followups_history", metadata={"dagster/row_count": history})
    yield dg.MaterializeResult(
        asset_key="quarantine",
        metadata={
            "dagster/row_count": quarantined,
            "rows_quarantined_this_run": sum(o.rows_quarantined for o in outcomes),
            "quarantined_by_reason": dg.MetadataValue.json(run["quarantined_by_reason"]),
            "files_quarantining": dg.MetadataValue.json(
                {o.file_name: o.rows_quarantined for o in outcomes if o.rows_quarantined}),
        },
    )
    # a refused file is not a failure of the run: the other files and the quarters go on; the
    # refusal shows in load_files, in the `files_accepted` check and in `uiv refresh`'s exit code
