"""Build the `baselines` table: goal-setting material per municipality × target group × indicator.

For every indicator with a polarity, breakdown `alla`, the latest rolling four quarters:
- the baseline (value, 95 % interval, n) and the country, county and peer-group median values;
- the best-quartile threshold: the least good value among the municipalities in quartile 1
  (`comparisons.quartile`), i.e. what it takes to be in the best quarter of municipalities;
- the minimum detectable change over the next four quarters at the same n (two-sided 5 %,
  power 80 %; `uiv_core.cells.statistics`), in percentage points or rating steps: NULL where no
  change within the scale is detectable, and for a suppressed baseline (it would hint at the
  hidden value);
- the n per period needed to detect a change of `PLANNING_CHANGE` (5 percentage points, or a
  quarter of a rating step) in the good direction.

The suggested target is chosen where the published inputs are known, in
`publish/sql/published_baselines.sql` (methods.md, "Goal-setting"): a hidden cell must not set it.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from uiv_core.reference import register_reference
from uiv_core.sql import query
from uiv_core.cells.statistics import (min_detectable_change_mean, min_detectable_change_proportion,
                                      n_needed_mean, n_needed_proportion)
from uiv_schema.indicators import HIGHER, MEAN, PERCENT

COLUMNS = [
    "unit_code", "target_group", "indicator_id", "period", "baseline_value", "baseline_ci95_low",
    "baseline_ci95_high", "baseline_n", "suppressed", "country_value", "county_value", "peer_group",
    "peer_median", "best_quartile_threshold", "min_detectable_change", "n_needed",
]
#: the change a row's `n_needed` is for, by unit: 5 percentage points, a quarter of a rating step
PLANNING_CHANGE = {PERCENT: 5.0, MEAN: 0.25}


def minimum_detectable_change(unit: str, polarity: str, value: float, n: int, sd: float | None) -> float:
    """The smallest change in the good direction detectable at n per period (in the unit)."""
    if unit == PERCENT:
        direction = "increase" if polarity == HIGHER else "decrease"
        return 100 * min_detectable_change_proportion(value / 100, n, direction=direction)
    if unit == MEAN:
        return min_detectable_change_mean(sd, n) if sd is not None and not math.isnan(sd) else math.nan
    raise ValueError(unit)


def n_needed(unit: str, polarity: str, value: float, sd: float | None) -> float:
    """Follow-ups (ratings) per period needed to detect a change of `PLANNING_CHANGE[unit]` from
    `value` in the good direction; nan when that change leaves the scale."""
    change = PLANNING_CHANGE[unit]
    if unit == PERCENT:
        direction = "increase" if polarity == HIGHER else "decrease"
        return n_needed_proportion(value / 100, change / 100, direction=direction)
    if unit == MEAN:
        return n_needed_mean(sd, change) if sd is not None and not math.isnan(sd) else math.nan
    raise ValueError(unit)


def build_baselines(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create `baselines` from `indicators` and `comparisons`; returns its row count."""

    register_reference(con)
    cells = con.execute(query("baseline_inputs"), {"higher": HIGHER}).fetchdf()
    mdcs, needed = [], []
    for row in cells.itertuples(index=False):
        sd = None if pd.isna(row.sd) else float(row.sd)
        hidden = bool(row.suppressed)
        mdcs.append(math.nan if hidden else
                    minimum_detectable_change(row.unit, row.polarity, float(row.value), int(row.n), sd))
        needed.append(math.nan if hidden else n_needed(row.unit, row.polarity, float(row.value), sd))
    frame = cells.rename(columns={"value": "baseline_value", "ci95_low": "baseline_ci95_low",
                                  "ci95_high": "baseline_ci95_high", "n": "baseline_n"})
    # NaN (nothing detectable, or hidden) is stored as NULL
    frame["min_detectable_change"] = pd.array([None if math.isnan(x) else x for x in mdcs], dtype="Float64")
    frame["n_needed"] = pd.array([None if math.isnan(x) else int(x) for x in needed], dtype="Int64")
    frame = frame[COLUMNS]
    con.register("_baselines_frame", frame)
    con.execute(query("create_baselines"))
    con.unregister("_baselines_frame")
    return len(frame)
