"""Build the `baselines` table: goal-setting material per municipality × target group × indicator.

For every indicator with a polarity, breakdown `alla`, the latest rolling four quarters:
- the baseline (value, 95 % interval, n) and the country, county and peer-group median values;
- the best-quartile threshold: the least good value among the municipalities in quartile 1
  (`comparisons.quartile`), i.e. what it takes to be in the best quarter of municipalities;
- the minimum detectable change over the next four quarters at the same n (two-sided 5 %,
  power 80 %; `uiv_core.cells.statistics`);
- a suggested target and the rule that produced it (docs/methods.md), the first that applies:
  1. `för_få_uppföljningar`: baseline suppressed: no target (and no minimum detectable change,
     which would hint at the hidden value);
  2. `behåll_nivån`: already at least at the best-quartile threshold: target = baseline ("more
     than today");
  3. `ingen_påvisbar_förändring`: no change within the scale is detectable at this n: target =
     baseline;
  4. `bästa_kvartilen`: the threshold is at least one detectable change away: target = threshold;
  5. `påvisbar_förbättring`: otherwise baseline + the minimum detectable change (good direction).
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from uiv_core.reference import register_reference
from uiv_core.sql import query
from uiv_core.cells.statistics import min_detectable_change_mean, min_detectable_change_proportion
from uiv_schema.indicators import HIGHER, MEAN, PERCENT
from uiv_schema.results import TARGET_RULE

COLUMNS = [
    "unit_code", "target_group", "indicator_id", "period", "baseline_value", "baseline_ci95_low",
    "baseline_ci95_high", "baseline_n", "suppressed", "country_value", "county_value", "peer_group",
    "peer_median", "best_quartile_threshold", "min_detectable_change", "suggested_target", "target_rule",
]


def minimum_detectable_change(unit: str, polarity: str, value: float, n: int, sd: float | None) -> float:
    """The smallest change in the good direction detectable at n per period (in the unit)."""
    if unit == PERCENT:
        direction = "increase" if polarity == HIGHER else "decrease"
        return 100 * min_detectable_change_proportion(value / 100, n, direction=direction)
    if unit == MEAN:
        return min_detectable_change_mean(sd, n) if sd is not None and not math.isnan(sd) else math.nan
    raise ValueError(unit)


def suggest_target(polarity: str, unit: str, value: float, suppressed: bool, threshold: float | None,
                   mdc: float) -> tuple[float | None, str]:
    """(target, rule) for one baseline; see the module docstring."""
    if suppressed or value is None or math.isnan(value):
        return None, TARGET_RULE.TOO_FEW
    better = 1 if polarity == HIGHER else -1
    has_threshold = threshold is not None and not math.isnan(threshold)
    if has_threshold and better * (value - threshold) >= 0:
        return value, TARGET_RULE.KEEP
    if math.isnan(mdc):
        return value, TARGET_RULE.UNDETECTABLE
    if has_threshold and better * (threshold - value) >= mdc:
        return threshold, TARGET_RULE.BEST_QUARTILE
    low, high = (0.0, 100.0) if unit == PERCENT else (1.0, 4.0)
    return min(high, max(low, value + better * mdc)), TARGET_RULE.DETECTABLE


def build_baselines(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create `baselines` from `indicators` and `comparisons`; returns its row count."""

    register_reference(con)
    cells = con.execute(query("baseline_inputs"), {"higher": HIGHER}).fetchdf()
    mdcs, targets, rules = [], [], []
    for row in cells.itertuples(index=False):
        sd = None if pd.isna(row.sd) else float(row.sd)
        mdc = (math.nan if row.suppressed else
               minimum_detectable_change(row.unit, row.polarity, float(row.value), int(row.n), sd))
        threshold = None if pd.isna(row.best_quartile_threshold) else float(row.best_quartile_threshold)
        target, rule = suggest_target(row.polarity, row.unit, float(row.value), bool(row.suppressed), threshold, mdc)
        mdcs.append(mdc)
        targets.append(target)
        rules.append(rule)
    frame = cells.rename(columns={"value": "baseline_value", "ci95_low": "baseline_ci95_low",
                                  "ci95_high": "baseline_ci95_high", "n": "baseline_n"})
    frame["min_detectable_change"] = np.asarray(mdcs, dtype="float64")
    frame["suggested_target"] = pd.Series(targets, dtype="float64")
    frame["target_rule"] = pd.Series(rules, dtype="str")
    frame = frame[COLUMNS]
    con.register("_baselines_frame", frame)
    con.execute(query("create_baselines"))
    con.unregister("_baselines_frame")
    return len(frame)
