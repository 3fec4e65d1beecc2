"""Indicators, comparisons and goal-setting baselines: followups → indicator_sums → indicators →
comparisons → baselines. Each asset writes its table in one transaction (the logic:
`uiv_core.cells.indicators`, `uiv_core.cells.comparisons`, `uiv_core.cells.baselines`).

`indicator_sums` and `indicators` are partitioned by quarter: a run for some quarters replaces
their rows (delete, then insert, in the same transaction) and leaves every other quarter's rows
as they were. Comparisons and baselines compare all municipalities and eight quarters of trend,
so they are rebuilt whole (they read the small `indicators` table, not the follow-ups).
"""

from collections.abc import Callable

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.partitions import ONE_RUN_BACKFILL, QUARTERS
from assets.resources import PublicationRules
from uiv_core.cells.baselines import build_baselines
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.cells.indicators import build_indicator_sums, load_peer_groups, update_indicators
from uiv_core.quarters import quarter_index
from uiv_core.sql import query, transaction
from uiv_schema.indicators import INDICATOR_VERSION, INDICATORS

GROUP = "indicators"


def _rebuild(duckdb: DuckDBResource, build: Callable, summary: str) -> tuple[object, tuple]:
    """Run `build(con)` in one transaction; return what it returned and the one row of the
    `summary` query (a name in uiv_core/*/sql/)."""
    with duckdb.get_connection() as con:
        con.execute(query("quiet_progress"))
        with transaction(con):
            rows = build(con)
        found = con.execute(query(summary)).fetchall()[0]
    return rows, found


def _run_quarters(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> list[str] | None:
    """The quarters this run replaces; None when they cover every stored quarter (a full build)."""
    keys = sorted(context.partition_keys, key=quarter_index)
    with duckdb.get_connection() as con:
        stored = {q for (q,) in con.execute(query("followup_quarters")).fetchall()}
    return None if stored <= set(keys) else keys


@dg.asset(deps=["followups"], group_name=GROUP, code_version=INDICATOR_VERSION, partitions_def=QUARTERS,
          backfill_policy=ONE_RUN_BACKFILL,
          description="Additive sums of every indicator per quarter × municipality × target group × "
          "breakdown value: the one scan of the follow-ups; a quarter's run replaces its rows only.")
def indicator_sums(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    quarters = _run_quarters(context, duckdb)
    rows, (total, stored_quarters) = _rebuild(
        duckdb, lambda con: build_indicator_sums(con, quarters),
        "summary_indicator_sums",
    )
    context.log.info(f"indicator_sums: {rows} rows for {'every quarter' if quarters is None else ', '.join(quarters)}")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": total, "rows_written": rows, "quarters_in_table": stored_quarters,
        "full_rebuild": quarters is None, "method": INDICATOR_VERSION,
    })


@dg.asset(deps=[indicator_sums], group_name=GROUP, code_version=INDICATOR_VERSION, partitions_def=QUARTERS,
          backfill_policy=ONE_RUN_BACKFILL,
          description="Every indicator cell: periods × units × target groups × breakdowns, with "
          "Wilson / Student-t limits at 95 % and 99.8 % and the suppression flag. A quarter's run "
          "recomputes the cells it feeds: the quarter, its year and the rolling windows holding it.")
def indicators(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
               rules: PublicationRules) -> dg.MaterializeResult:
    peer_groups = load_peer_groups(rules.peer_groups)
    quarters = _run_quarters(context, duckdb)
    context.log.info(f"indicators: computing the cells of {'every quarter' if quarters is None else ', '.join(quarters)}"
                     " ...")
    update, (suppressed, periods) = _rebuild(
        duckdb, lambda con: update_indicators(con, rules.min_n, peer_groups, quarters),
        "summary_indicators",
    )
    recomputed = [f"{kind} {period}" for kind, period in update.periods]
    context.log.info(f"indicators: {update.written} cells written for {len(recomputed)} periods"
                     f"{' (full rebuild)' if update.full else ''}")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": update.cells, "cells_written": update.written, "cells_suppressed": suppressed,
        "periods": periods, "periods_recomputed": dg.MetadataValue.json(recomputed),
        "full_rebuild": update.full, "indicators_in_catalogue": len(INDICATORS), "min_n": rules.min_n,
        "peer_groups": len(peer_groups), "method": INDICATOR_VERSION,
    })


@dg.asset(deps=[indicators], group_name=GROUP, code_version=INDICATOR_VERSION,
          description="Each municipality cell against country, county and peer group: benchmark, "
          "significance, quartile and colour, funnel label, trend.")
def comparisons(duckdb: DuckDBResource) -> dg.MaterializeResult:
    rows, (green, red) = _rebuild(
        duckdb, build_comparisons,
        "summary_comparisons",
    )
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "cells_green": green, "cells_red": red})


@dg.asset(deps=[comparisons], group_name=GROUP, code_version=INDICATOR_VERSION,
          description="Goal-setting baselines: latest rolling four quarters (eight pooled under the "
          "planning n), benchmarks, best-quartile threshold, minimum detectable change and the n "
          "needed for 5 percentage points (the "
          "suggested target is chosen from published values, in published_baselines).")
def baselines(duckdb: DuckDBResource, rules: PublicationRules) -> dg.MaterializeResult:
    rows, (detectable,) = _rebuild(
        duckdb, lambda con: build_baselines(con, rules.planning_n), "summary_baselines")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "baselines_with_detectable_change": detectable})
