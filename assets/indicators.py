"""Indicators, comparisons and goal-setting baselines: followups → indicator_sums → indicators →
comparisons → baselines. Each asset writes its table in one transaction (the logic:
`uiv_core.cells.indicators`, `uiv_core.cells.comparisons`, `uiv_core.cells.baselines`).

`indicator_sums` and `indicators` are partitioned by quarter: a run for some quarters replaces
their rows (delete, then insert, in the same transaction) and leaves every other quarter's rows
as they were. Comparisons compare all municipalities of a period and eight quarters of trend: a
run rewrites the periods whose inputs changed (`build_comparisons(incremental=True)`) and keeps
the rest. Baselines are rebuilt whole (they read the small `indicators` table, not the follow-ups).
"""

from collections.abc import Callable

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import column_schema, describe
from assets.partitions import ONE_RUN_BACKFILL, QUARTERS
from assets.versions import CELLS_CODE
from assets.resources import PublicationRules
from uiv_core.cells.adjusted import EXPECTED_FLOOR, build_adjusted
from uiv_core.cells.baselines import build_baselines
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.cells.indicators import build_indicator_sums, load_peer_groups, update_indicators
from uiv_core.fingerprints import combine, followups_fingerprint, table_fingerprint
from uiv_core.quarters import quarter_index
from uiv_core.sql import query, transaction
from uiv_schema.indicators import INDICATOR_VERSION, INDICATORS

GROUP = "indicators"
KINDS = {"duckdb"}


def _rebuild(duckdb: DuckDBResource, build: Callable, summary: str, table: str,
             version: Callable | None = None):
    """Run `build(con)` in one transaction; return what it returned, the one row of the `summary`
    query (a name in uiv_core/*/sql/), the data version `version(con, built)` (None without) and
    the column schema of `table`."""
    with duckdb.get_connection() as con:
        con.execute(query("quiet_progress"))
        with transaction(con):
            con.execute(query("forget_refresh_signature"))
            built = build(con)
        found = con.execute(query(summary)).fetchall()[0]
        data_version = version(con, built) if version else None
        schema = column_schema(con, table)[table]
    return built, found, data_version, schema


def _content(table: str) -> Callable:
    """The data version of a table read whole (`table_fingerprint`): for the small ones."""
    return lambda con, built: table_fingerprint(con, table)


def _run_quarters(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> tuple[list[str] | None, str]:
    """The quarters this run replaces (None when they cover every stored quarter: a full build),
    and the fingerprint of the run's quarters' follow-ups (the partitions' data version)."""
    keys = sorted(context.partition_keys, key=quarter_index)
    with duckdb.get_connection() as con:
        stored = {q for (q,) in con.execute(query("followup_quarters")).fetchall()}
        fingerprint = followups_fingerprint(con, keys)
    return (None if stored <= set(keys) else keys), fingerprint


@dg.asset(deps=["followups"], group_name=GROUP, kinds=KINDS, code_version=CELLS_CODE,
          partitions_def=QUARTERS, backfill_policy=ONE_RUN_BACKFILL, description=describe(
              "indicator_sums", "Table `indicator_sums`: additive sums of every indicator per quarter × "
              "municipality × target group × breakdown value, from one scan of the follow-ups. A quarter's run "
              "replaces that quarter's rows only. Data version: a fingerprint of the quarter's follow-ups (a run "
              "over several quarters records one fingerprint of them all, as Dagster gives every partition of "
              "a single run the same version)."))
def indicator_sums(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    quarters, fingerprint = _run_quarters(context, duckdb)
    rows, (total, stored_quarters), _, schema = _rebuild(
        duckdb, lambda con: build_indicator_sums(con, quarters), "summary_indicator_sums", "indicator_sums")
    context.log.info(f"indicator_sums: {rows} rows for {'every quarter' if quarters is None else ', '.join(quarters)}")
    return dg.MaterializeResult(data_version=dg.DataVersion(fingerprint), metadata={
        "dagster/row_count": rows, "rows_in_table": total, "quarters_in_table": stored_quarters,
        "full_rebuild": quarters is None, "method": INDICATOR_VERSION, "dagster/column_schema": schema,
    })


@dg.asset(deps=[indicator_sums], group_name=GROUP, kinds=KINDS, code_version=CELLS_CODE,
          partitions_def=QUARTERS, backfill_policy=ONE_RUN_BACKFILL, description=describe(
              "indicators", "View `indicators` (over the stored counts `indicator_counts`): periods × units × target groups × breakdowns, with Wilson / "
              "Student-t limits at 95 % and 99.8 % and the suppression flag. A quarter's run recomputes the "
              "cells it feeds: the quarter, its year and the rolling windows holding it; the counts in its "
              "metadata are of those cells."))
def indicators(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
               rules: PublicationRules) -> dg.MaterializeResult:
    peer_groups = load_peer_groups(rules.peer_groups)
    quarters, fingerprint = _run_quarters(context, duckdb)
    context.log.info(f"indicators: computing the cells of {'every quarter' if quarters is None else ', '.join(quarters)}"
                     " ...")
    update, (periods,), _, schema = _rebuild(
        duckdb, lambda con: update_indicators(con, rules.min_n, peer_groups, quarters), "summary_indicators",
        "indicators")
    recomputed = [f"{kind} {period}" for kind, period in update.periods]
    context.log.info(f"indicators: {update.written} cells written for {len(recomputed)} periods"
                     f"{' (full rebuild)' if update.full else ''}")
    version = combine(fingerprint, rules.min_n, peer_groups.to_csv(index=False), INDICATOR_VERSION)
    return dg.MaterializeResult(data_version=dg.DataVersion(version), metadata={
        "dagster/row_count": update.written, "cells_suppressed": update.suppressed,
        "periods_recomputed": dg.MetadataValue.json(recomputed), "cells_in_table": update.cells,
        "periods_in_table": periods, "full_rebuild": update.full, "indicators_in_catalogue": len(INDICATORS),
        "min_n": rules.min_n, "peer_groups": len(peer_groups), "method": INDICATOR_VERSION,
        "dagster/column_schema": schema,
    })


@dg.asset(deps=[indicators], group_name=GROUP, kinds=KINDS, code_version=CELLS_CODE, description=describe(
    "comparisons", "View `comparisons` (over `comparison_results`): each municipality cell against country, county and peer group: benchmark, "
    "significance, quartile and colour, funnel label, trend. A run rebuilds the periods whose inputs changed "
    "(the quarters their cells and eight quarters of trend read, the settings, the code) and keeps the others; "
    "its data version is a fingerprint of the periods' keys (what its rows are computed from), so an "
    "unchanged input makes nothing after it stale."))
def comparisons(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    update, (green, red), version, schema = _rebuild(
        duckdb, lambda con: build_comparisons(con, incremental=True), "summary_comparisons", "comparisons",
        lambda con, built: built.version or table_fingerprint(con, "comparisons"))
    context.log.info(f"comparisons: {len(update.rebuilt)} periods written"
                     f"{' (the whole table)' if update.whole else ''}, {update.rows} rows in the table")
    return dg.MaterializeResult(data_version=dg.DataVersion(version), metadata={
        "dagster/row_count": update.rows, "periods_rebuilt": dg.MetadataValue.json(update.rebuilt),
        "full_rebuild": update.whole, "cells_green": green, "cells_red": red, "dagster/column_schema": schema})


@dg.asset(deps=[comparisons], group_name=GROUP, kinds=KINDS, code_version=CELLS_CODE, description=describe(
    "baselines", "Table `baselines`: latest rolling four quarters (eight pooled under the planning n), benchmarks, "
    "best-quartile threshold, minimum detectable change and the n needed for 5 percentage points (the "
    "suggested target is chosen from published values, in published_baselines)."))
def baselines(duckdb: DuckDBResource, rules: PublicationRules) -> dg.MaterializeResult:
    rows, (detectable,), version, schema = _rebuild(
        duckdb, lambda con: build_baselines(con, rules.planning_n), "summary_baselines", "baselines",
        _content("baselines"))
    return dg.MaterializeResult(data_version=dg.DataVersion(version), metadata={
        "dagster/row_count": rows, "baselines_with_detectable_change": detectable, "planning_n": rules.planning_n,
        "dagster/column_schema": schema})


@dg.asset(deps=[indicators], group_name=GROUP, kinds=KINDS, code_version=CELLS_CODE, description=describe(
    "adjusted_indicators", "Table `adjusted_indicators`: the shares with a polarity adjusted for case mix "
    "(indirect standardisation against the country's share in each stratum of target group, sex, age group "
    "and, within missbruk, main substance): O/E with exact / Byar limits, the adjusted share and its "
    "significance, per year and rolling window × municipality, county and peer group × target group. "
    "The standard is the country in the same period: a run rewrites the periods whose quarters changed."))
def adjusted_indicators(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                        rules: PublicationRules) -> dg.MaterializeResult:
    build, (cells, suppressed), version, schema = _rebuild(
        duckdb, lambda con: build_adjusted(con, rules.min_n, incremental=True), "summary_adjusted", "adjusted_indicators",
        _content("adjusted_indicators"))
    context.log.info(f"adjusted_indicators: {build.periods} periods written; {build.cells} cells in the table, "
                     f"{build.suppressed} suppressed")
    return dg.MaterializeResult(data_version=dg.DataVersion(version), metadata={
        "dagster/row_count": cells, "cells_suppressed": suppressed, "periods_written": build.periods,
        "expected_floor": EXPECTED_FLOOR, "min_n": rules.min_n, "dagster/column_schema": schema})
