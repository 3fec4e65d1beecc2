"""Build `adjusted_indicators`: the case-mix adjusted cells beside the crude ones (indirect
standardisation; formulas in `uiv_core.cells.standardisation`, explained in docs/methods.md).

Every share with a polarity declares its strata in the catalogue (`Indicator.strata`): the
target group always, then sex, age group and, within target group missbruk, the main substance.
For each year and rolling window that `indicators` holds, each municipality, county and peer
group and each target group (and all of them), the cell's observed count O (its numerator) is
set against the count E expected from the country's share in each of its strata in the same
period. One SQL statement does the counting (`sql/create_adjusted_indicators.sql`); the exact
Poisson limits for O < 10 come from a ten-row table worked out here.

A cell is suppressed (shown `..`, 'ej jämförbar') when its denominator is under the min n or E is
under EXPECTED_FLOOR. The country is the standard, so its ratio is 1 by definition: it has no row.
The standard is the country in the same period, so a period's cells read that period's quarters
only: a run rewrites the periods whose key changed (`uiv_core.cells.period_keys`, with the min n
and the expected floor; `uiv_core.period_state`) and keeps the others, or the whole table without
a state to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from uiv_core import period_state
from uiv_core.cells.indicators import CONFIDENCES
from uiv_core.cells.period_keys import period_keys
from uiv_core.cells.standardisation import BYARS_FROM, exact_limit_table
from uiv_core.cells.statistics import z_value
from uiv_core.quarters import quarter_range, window_quarters
from uiv_core.reference import register_reference
from uiv_core.sql import query, table_exists, temp_table_from_frame
from uiv_schema.indicators import ADJUSTED_INDICATORS, HIGHER
from uiv_schema.results import SIGNIFICANCE

#: below this many expected events the ratio is not shown: one event more or less would move it
#: by a fifth or more, and the interval says nothing a manager can use
EXPECTED_FLOOR = 5.0
#: the target group within which the main substance is a stratum
SUBSTANCE_GROUP = "missbruk"
ADJUSTED_PERIOD_TYPES = ("year", "rolling4q")
#: the columns a stratum may be made of (adjusted_strata.sql knows how to read each)
STRATUM_COLUMNS = ("sex", "age_group", "main_substance")


@dataclass
class AdjustedBuild:
    cells: int  #: in the table
    suppressed: int  #: of them
    periods: int  #: written by this run


def _parts() -> dict:
    unknown = [c for i in ADJUSTED_INDICATORS for c in i.strata if c not in STRATUM_COLUMNS]
    if unknown:
        raise ValueError(f"unknown stratum column(s) {unknown}; allowed: {STRATUM_COLUMNS}")
    strata = sorted({c for i in ADJUSTED_INDICATORS for c in i.strata}, key=STRATUM_COLUMNS.index)
    return {"indicators": ADJUSTED_INDICATORS, "strata": strata, "substance_group": SUBSTANCE_GROUP,
            "byars_from": BYARS_FROM, "significance": SIGNIFICANCE}


def adjusted_is_current(con: duckdb.DuckDBPyConnection, min_n: int) -> bool:
    """Whether `adjusted_indicators` exists and agrees with `indicator_counts` cell for cell and
    with `min_n` (a run that recomputed some quarters' indicators but not the adjusted cells leaves
    it behind)."""
    if not table_exists(con, "adjusted_indicators"):
        return False
    (stale,) = con.execute(query("adjusted_stale_cells"), {
        "types": list(ADJUSTED_PERIOD_TYPES), "indicators": [i.id for i in ADJUSTED_INDICATORS],
        "min_n": min_n, "expected_floor": EXPECTED_FLOOR}).fetchall()[0]
    return stale == 0


def build_adjusted(con: duckdb.DuckDBPyConnection, min_n: int, incremental: bool = False) -> AdjustedBuild:
    """(Re)create `adjusted_indicators` for the periods of `indicators` (after `indicators` and
    `peer_groups` are built); with `incremental`, only the periods whose key changed."""
    register_reference(con)
    every = con.execute(query("adjusted_periods"), {"types": list(ADJUSTED_PERIOD_TYPES)}).fetchall()
    keys = period_keys(con, [(period, kind) for kind, period in every], "adjusted_indicators",
                       extra=(min_n, EXPECTED_FLOOR))
    current = sorted((period, kind, 0) for kind, period in every)
    chosen = period_state.plan(con, "adjusted_indicators", current, keys, incremental)
    period_state.delete_periods(con, "adjusted_indicators", chosen)
    periods = [(kind, period) for period, kind, _ in chosen.write]
    if periods or chosen.whole:
        _compute(con, periods, min_n, insert=not chosen.whole)
    period_state.remember(con, "adjusted_indicators", keys)
    cells, suppressed = con.execute(query("summary_adjusted")).fetchall()[0]
    return AdjustedBuild(int(cells), int(suppressed or 0), len(periods))


def _compute(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, str]], min_n: int, insert: bool) -> None:
    """The adjusted cells of `periods` ((period type, period)): a new table, or added to it."""
    temp_table_from_frame(con, "adjusted_periods", pd.DataFrame(periods, columns=["period_type", "period"],
                                                                dtype="str"))
    windows = [(label, quarter) for kind, label in periods if kind == "rolling4q" for quarter in window_quarters(label)]
    temp_table_from_frame(con, "adjusted_windows", pd.DataFrame(windows, columns=["period", "quarter"], dtype="str"))
    years = {label for kind, label in periods if kind == "year"}
    quarters = sorted({q for _, q in windows} | {q for y in years for q in quarter_range(f"{y}Q1", f"{y}Q4")})
    temp_table_from_frame(con, "adjusted_quarters", pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")}))
    columns = ["observed"] + [f"{side}{level}" for level in CONFIDENCES for side in ("low", "high")]
    temp_table_from_frame(con, "exact_limits", pd.DataFrame(exact_limit_table(CONFIDENCES), columns=columns)
                          .astype({"observed": "int64"}))
    parts = _parts()
    con.execute(query("adjusted_strata", **parts))
    con.execute(query("create_adjusted_indicators", insert=insert, **parts), {
        "min_n": min_n, "expected_floor": EXPECTED_FLOOR, "z95": z_value(0.95), "z998": z_value(0.998),
        "higher": HIGHER,
    })
    for table in ("adjusted_strata", "adjusted_periods", "adjusted_windows", "adjusted_quarters", "exact_limits"):
        con.execute(query("drop_table", table=table))
