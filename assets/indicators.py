"""Indicators, comparisons and goal-setting baselines: followups → indicators → comparisons →
baselines. Each asset rebuilds its table in one transaction (the logic: `uiv_core.indicators`,
`uiv_core.comparisons`, `uiv_core.baselines`)."""

from collections.abc import Callable

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import PublicationRules
from uiv_core.baselines import build_baselines
from uiv_core.comparisons import build_comparisons
from uiv_core.indicators import build_indicators, load_peer_groups
from uiv_schema.indicators import INDICATOR_VERSION, INDICATORS

GROUP = "indicators"


def _rebuild(duckdb: DuckDBResource, build: Callable, summary_sql: str) -> tuple[int, tuple]:
    """Run `build(con)` in one transaction; return its row count and a one-row summary."""
    with duckdb.get_connection() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute("BEGIN TRANSACTION")
        try:
            rows = build(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        summary = con.execute(summary_sql).fetchall()[0]
    return rows, summary


@dg.asset(deps=["followups"], group_name=GROUP, code_version=INDICATOR_VERSION,
          description="Every indicator cell: periods × units × target groups × breakdowns, with "
          "Wilson / Student-t limits at 95 % and 99.8 % and the suppression flag.")
def indicators(duckdb: DuckDBResource, rules: PublicationRules) -> dg.MaterializeResult:
    peer_groups = load_peer_groups(rules.peer_groups)
    rows, (suppressed, periods) = _rebuild(
        duckdb, lambda con: build_indicators(con, rules.min_n, peer_groups),
        "SELECT count_if(suppressed), count(DISTINCT period) FROM indicators",
    )
    return dg.MaterializeResult(metadata={
        "dagster/row_count": rows, "cells_suppressed": suppressed, "periods": periods,
        "indicators_in_catalogue": len(INDICATORS), "min_n": rules.min_n,
        "peer_groups": len(peer_groups), "method": INDICATOR_VERSION,
    })


@dg.asset(deps=[indicators], group_name=GROUP, code_version=INDICATOR_VERSION,
          description="Each municipality cell against country, county and peer group: benchmark, "
          "significance, quartile and colour, funnel label, trend.")
def comparisons(duckdb: DuckDBResource) -> dg.MaterializeResult:
    rows, (green, red) = _rebuild(
        duckdb, build_comparisons,
        "SELECT count_if(colour = 'grön'), count_if(colour = 'röd') FROM comparisons "
        "WHERE benchmark_unit_type = 'riket'",
    )
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "cells_green": green, "cells_red": red})


@dg.asset(deps=[comparisons], group_name=GROUP, code_version=INDICATOR_VERSION,
          description="Goal-setting baselines: latest rolling four quarters, benchmarks, best-quartile "
          "threshold, minimum detectable change and a suggested target with its rule.")
def baselines(duckdb: DuckDBResource) -> dg.MaterializeResult:
    rows, (with_target,) = _rebuild(
        duckdb, build_baselines, "SELECT count(suggested_target) FROM baselines")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "baselines_with_target": with_target})
