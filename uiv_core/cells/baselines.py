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
  quarter of a rating step) in the good direction;
- where the latest four quarters hold fewer than the planning n (default `PLANNING_N` = 30) and
  the four quarters before have data, the same figures for the latest **eight** quarters pooled
  (`pooled_*`: value, interval, n, and the detectable change and n needed from the pooled value
  at the latest four quarters' n, which is what next year's follow-up will have). Which of the two
  a published baseline shows is decided in `published_baselines.sql`: the pooled one only where
  both four-quarter windows are published (then it adds nothing an attacker could not add up).

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
                                      n_needed_mean, n_needed_proportion, pooled_interval)
from uiv_schema.indicators import HIGHER, MEAN, PERCENT

COLUMNS = [
    "unit_code", "target_group", "indicator_id", "period", "baseline_value", "baseline_ci95_low",
    "baseline_ci95_high", "baseline_n", "suppressed", "country_value", "county_value", "peer_group",
    "peer_median", "best_quartile_threshold", "min_detectable_change", "n_needed",
    "pooled_value", "pooled_ci95_low", "pooled_ci95_high", "pooled_n", "pooled_min_detectable_change",
    "pooled_n_needed",
]
#: below this n in the latest four quarters a baseline pools the latest eight (the planning threshold)
PLANNING_N = 30
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


def pooled(unit: str, x: float, n: int, sd: float | None, prev_x: float, prev_n: int,
           prev_sd: float | None) -> tuple[float, float, float, int, float | None]:
    """Two four-quarter cells pooled into one of eight quarters: (value, 95 % low, high, n, sd).
    A mean's standard deviation is pooled from both sums of squares (sd² · (n − 1) + x²/n)."""
    total_x, total_n = x + prev_x, n + prev_n
    if unit == PERCENT:
        low, high = pooled_interval(True, total_x, total_n)
        return 100 * total_x / total_n, low, high, total_n, None
    squares = sum((s * s * (k - 1) if s is not None and not math.isnan(s) else 0.0) + v * v / k
                  for v, k, s in ((x, n, sd), (prev_x, prev_n, prev_sd)) if k > 0)
    sd_pooled = math.sqrt(max(0.0, (squares - total_x * total_x / total_n) / (total_n - 1))) if total_n > 1 else None
    low, high = pooled_interval(False, total_x, total_n, sd_pooled)
    return total_x / total_n, low, high, total_n, sd_pooled


def build_baselines(con: duckdb.DuckDBPyConnection, planning_n: int = PLANNING_N) -> int:
    """(Re)create `baselines` from `indicators` and `comparisons`; returns its row count. Below
    `planning_n` follow-ups in the latest four quarters the pooled eight-quarter figures are added."""

    register_reference(con)
    cells = con.execute(query("baseline_inputs"), {"higher": HIGHER}).fetchdf()
    mdcs, needed, pools = [], [], []
    for row in cells.itertuples(index=False):
        sd = None if pd.isna(row.sd) else float(row.sd)
        hidden = bool(row.suppressed)
        mdcs.append(math.nan if hidden else
                    minimum_detectable_change(row.unit, row.polarity, float(row.value), int(row.n), sd))
        needed.append(math.nan if hidden else n_needed(row.unit, row.polarity, float(row.value), sd))
        if int(row.n) < planning_n and not pd.isna(row.prev_n) and int(row.prev_n) > 0:
            prev_sd = None if pd.isna(row.prev_sd) else float(row.prev_sd)
            value, low, high, n, sd8 = pooled(row.unit, float(row.x), int(row.n), sd, float(row.prev_x),
                                              int(row.prev_n), prev_sd)
            pools.append((value, low, high, n,
                          minimum_detectable_change(row.unit, row.polarity, value, int(row.n), sd8),
                          n_needed(row.unit, row.polarity, value, sd8)))
        else:
            pools.append((math.nan,) * 3 + (None, math.nan, math.nan))
    frame = cells.rename(columns={"value": "baseline_value", "ci95_low": "baseline_ci95_low",
                                  "ci95_high": "baseline_ci95_high", "n": "baseline_n"})
    # NaN (nothing detectable, or hidden) is stored as NULL
    frame["min_detectable_change"] = pd.array([None if math.isnan(x) else x for x in mdcs], dtype="Float64")
    frame["n_needed"] = pd.array([None if math.isnan(x) else int(x) for x in needed], dtype="Int64")
    for index, name in enumerate(("pooled_value", "pooled_ci95_low", "pooled_ci95_high")):
        frame[name] = pd.array([None if math.isnan(p[index]) else p[index] for p in pools], dtype="Float64")
    frame["pooled_n"] = pd.array([p[3] for p in pools], dtype="Int64")
    frame["pooled_min_detectable_change"] = pd.array([None if math.isnan(p[4]) else p[4] for p in pools],
                                                     dtype="Float64")
    frame["pooled_n_needed"] = pd.array([None if math.isnan(p[5]) else int(p[5]) for p in pools], dtype="Int64")
    frame = frame[COLUMNS]
    con.register("_baselines_frame", frame)
    con.execute(query("create_baselines"))
    con.unregister("_baselines_frame")
    return len(frame)
