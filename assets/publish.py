"""Publishing: the published_* tables (suppression applied), then the report and the exports.

The report and the exports read only the published_* tables (`uiv_core.publish.publication`).
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import column_schema, describe, file_link
from assets.resources import ReportOptions, UivFolders
from assets.versions import PUBLISH_CODE
from uiv_core.fingerprints import table_fingerprint
from uiv_core.publish.exports import write_exports
from uiv_core.publish.publication import build_publication, stored_min_n
from uiv_core.publish.report import build_report
from uiv_core.sql import query, transaction
from uiv_core.ingest.store import run_stamp

GROUP = "publish"
PUBLISHED = ("published_indicators", "published_comparisons", "published_baselines", "published_adjusted")
#: the stored table under a view, one row for each of the view's (counting the view of the
#: published comparisons joined 3 M rows)
STORED = {"published_indicators": "published_counts", "published_comparisons": "published_comparison_results"}

PUBLISHED_SPECS = [
    dg.AssetSpec("published_indicators", group_name=GROUP, deps=["indicators"], kinds={"duckdb"},
                 description=describe("published_indicators", "View `published_indicators` (over `published_counts`): rolling four quarters "
                                      "and years, with primary and secondary suppression (hidden values are NULL).")),
    dg.AssetSpec("published_comparisons", group_name=GROUP, deps=["comparisons"], kinds={"duckdb"},
                 description=describe("published_comparisons", "View `published_comparisons` (over `published_comparison_results`): comparisons of the "
                                      "published cells (hidden cells: ej jämförbar, grå).")),
    dg.AssetSpec("published_baselines", group_name=GROUP, deps=["baselines"], kinds={"duckdb"},
                 description=describe("published_baselines", "Table `published_baselines`: goal-setting baselines "
                                      "and suggested targets from the published cells.")),
    dg.AssetSpec("published_adjusted", group_name=GROUP, deps=["adjusted_indicators"], kinds={"duckdb"},
                 description=describe("published_adjusted", "Table `published_adjusted`: the case-mix adjusted "
                                      "cells where their crude cell is shown, rounded (O/E to two decimals, E to a "
                                      "whole number).")),
]


@dg.multi_asset(specs=PUBLISHED_SPECS, can_subset=False, code_version=PUBLISH_CODE)
def published(duckdb: DuckDBResource):
    with duckdb.get_connection() as con:
        con.execute(query("quiet_progress"))
        with transaction(con):
            con.execute(query("forget_refresh_signature"))
            counts = build_publication(con, incremental=True)
        versions = {table: table_fingerprint(con, table) for table in PUBLISHED if table != "published_comparisons"}
        versions["published_comparisons"] = counts["comparisons_version"] or table_fingerprint(con, "published_comparisons")
        rows = {table: con.execute(query("count_rows", table=STORED.get(table, table))).fetchall()[0][0]
                for table in PUBLISHED}
        schemas = column_schema(con, *PUBLISHED)
    extra = {"published_indicators": {"suppressed_primary": counts["primary"],
                                      "suppressed_secondary": counts["secondary"],
                                      "suppression_rounds": counts["rounds"]},
             "published_comparisons": {"periods_rebuilt": dg.MetadataValue.json(counts["comparison_periods_written"]),
                                       "full_rebuild": counts["comparisons_whole"]}}
    for table in PUBLISHED:
        yield dg.MaterializeResult(asset_key=table, data_version=dg.DataVersion(versions[table]), metadata={
            "dagster/row_count": rows[table], **extra.get(table, {}), "dagster/column_schema": schemas[table]})


@dg.asset(deps=list(PUBLISHED), group_name=GROUP, kinds={"plotly", "html"}, code_version=PUBLISH_CODE,
          description=describe("report", "out/report: index, municipality and county pages, methods; PNG and SVG of "
                               "the county charts when a Chrome/Chromium is found. Works offline from file://."))
def report(context: dg.AssetExecutionContext, duckdb: DuckDBResource, folders: UivFolders,
           report_options: ReportOptions) -> dg.MaterializeResult:
    out = Path(folders.out).resolve() / "report"  # absolute: the UI shows where it is
    with duckdb.get_connection() as con:  # the footers state the min n the cells were suppressed with
        summary = build_report(con, out, run_stamp(con), stored_min_n(con), progress=context.log.info,
                               images=report_options.images, image_timeout=report_options.image_timeout)
    return dg.MaterializeResult(metadata={**summary, **file_link(out / "index.html")})


@dg.asset(deps=list(PUBLISHED), group_name=GROUP, kinds={"excel", "parquet"}, code_version=PUBLISH_CODE,
          description=describe("exports", "out/exports: indicatorer.xlsx (+ _uppdelningar, _kalenderar), "
                               "indicatorer.csv, indicators.parquet, oppna_jamforelser_<period>.xlsx, "
                               "malunderlag_<kod>.xlsx."))
def exports(duckdb: DuckDBResource, folders: UivFolders) -> dg.MaterializeResult:
    out = Path(folders.out).resolve() / "exports"
    with duckdb.get_connection() as con:
        paths = write_exports(con, out, run_stamp(con), min_n=stored_min_n(con))
    return dg.MaterializeResult(metadata={"files": len(paths), **file_link(out)})
