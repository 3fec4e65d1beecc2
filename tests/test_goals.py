"""Goal-setting material (`published_baselines`, the goal tables and `malunderlag_<kod>.xlsx`),
recomputed here from the published inputs with code of its own: the minimum detectable change by
bisection, the n needed as the least n whose detectable change is at most 5 p.e., the rules as
written in methods.md. A target must be one a municipality can plan with: never beyond the best
published municipal value, never at the end of the scale."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import build_sample_store
from uiv_core.publish import exports, swedish
from uiv_schema.indicators import INDICATOR_BY_ID, PERCENT

Z_ALPHA, Z_POWER = 1.959963984540054, 0.8416212335729143  # two-sided 5 %, power 80 %
CHANGE = {"percent": 5.0, "mean": 0.25}


def detectable_change(unit: str, better: int, value: float, n: float, sd: float | None) -> float:
    """Smallest change in the good direction that a test at n per period detects (nan: none)."""
    if unit == "mean":
        return math.nan if sd is None or math.isnan(sd) else (Z_ALPHA + Z_POWER) * sd * math.sqrt(2 / n)
    p = value / 100
    room = 1 - p if better > 0 else p

    def short(d):  # how far d falls short of what n can detect
        p2 = p + better * d
        pbar = (p + p2) / 2
        return Z_ALPHA * math.sqrt(2 * pbar * (1 - pbar) / n) + Z_POWER * math.sqrt((p * (1 - p) + p2 * (1 - p2)) / n) - d

    if room <= 0 or short(room) > 0:
        return math.nan
    low, high = 0.0, room
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if short(middle) > 0 else (low, middle)
    return 100 * high


def needed(unit: str, better: int, value: float, sd: float | None) -> float:
    """The least n whose detectable change is at most CHANGE[unit] (nan: the change leaves the scale)."""
    change = CHANGE[unit]
    if unit == "percent" and not 0 <= value + better * change <= 100:
        return math.nan
    if unit == "mean" and (sd is None or math.isnan(sd)):
        return math.nan
    n = 1
    while not detectable_change(unit, better, value, n, sd) <= change + 1e-9:
        n *= 2
    low, high = n // 2, n
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if detectable_change(unit, better, value, middle, sd) <= change + 1e-9 else (middle, high)
    return float(high)


@pytest.fixture(scope="module")
def goals(tmp_path_factory):
    con = build_sample_store(tmp_path_factory.mktemp("goals"), publish=True)
    baselines = con.execute("SELECT * FROM published_baselines").fetchdf()
    municipal = con.execute("""
        SELECT p.period, p.unit_code, p.target_group, p.indicator_id, p.value, p.denominator, c.quartile, i.sd
        FROM published_indicators p
        JOIN published_comparisons c USING (period, period_type, unit_code, unit_type, target_group, breakdown,
                                            breakdown_value, indicator_id)
        LEFT JOIN indicators i USING (period, period_type, unit_code, unit_type, target_group, breakdown,
                                      breakdown_value, indicator_id)
        WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.breakdown = 'alla'
          AND c.benchmark_unit_type = 'riket'""").fetchdf()
    rows = con.execute("SELECT * FROM published_baselines ORDER BY unit_code, target_group, indicator_id").fetchall()
    columns = [d[0] for d in con.description]
    records = [dict(zip(columns, r)) for r in rows]
    con.close()
    return baselines, municipal, records


def expected(row, municipal: pd.DataFrame) -> dict:
    indicator = INDICATOR_BY_ID[row.indicator_id]
    better = 1 if indicator.polarity == "higher" else -1
    same = municipal[(municipal.period == row.period) & (municipal.target_group == row.target_group)
                     & (municipal.indicator_id == row.indicator_id) & municipal.value.notna()]
    own = municipal[(municipal.unit_code == row.unit_code) & (municipal.period == row.period)
                    & (municipal.target_group == row.target_group) & (municipal.indicator_id == row.indicator_id)].iloc[0]
    best_quartile = same[same.quartile == 1].value
    threshold = (best_quartile.min() if better > 0 else best_quartile.max()) if len(best_quartile) else math.nan
    best = same.value.max() if better > 0 else same.value.min()
    value = own.value
    if pd.isna(value):
        return {"target_rule": "för_få_uppföljningar", "suggested_target": math.nan, "min_detectable_change": math.nan,
                "n_needed": math.nan, "best_published_value": best, "best_quartile_threshold": threshold}
    sd = None if pd.isna(own.sd) else float(own.sd)
    mdc = detectable_change(indicator.unit, better, value, own.denominator, sd)
    low, high = (0.0, 100.0) if indicator.unit == PERCENT else (1.0, 4.0)
    inside = lambda x: low < x < high  # noqa: E731
    at_the_end = value >= high if better > 0 else value <= low
    if not math.isnan(threshold) and better * (value - threshold) >= 0 or at_the_end:
        rule, target = "behåll_nivån", value
    elif math.isnan(mdc):
        rule, target = "bättre_än_utgångsvärdet", value
    elif not math.isnan(threshold) and better * (threshold - value) >= mdc and inside(threshold):
        rule, target = "bästa_kvartilen", threshold
    elif better * (value + better * mdc) <= better * best and inside(value + better * mdc):
        rule, target = "påvisbar_förbättring", value + better * mdc
    else:
        rule, target = "bättre_än_utgångsvärdet", value
    return {"target_rule": rule, "suggested_target": target, "min_detectable_change": mdc,
            "n_needed": needed(indicator.unit, better, value, sd), "best_published_value": best,
            "best_quartile_threshold": threshold}


def test_every_baseline_is_recomputed_from_the_published_inputs(goals):
    baselines, municipal, _ = goals
    assert len(baselines) > 1000
    for row in baselines.itertuples(index=False):
        want = expected(row, municipal)
        assert row.target_rule == want["target_rule"], (row, want)
        for key in ("suggested_target", "min_detectable_change", "n_needed", "best_published_value",
                    "best_quartile_threshold"):
            got = getattr(row, key)
            got = math.nan if got is None or pd.isna(got) else float(got)
            assert (math.isnan(got) and math.isnan(want[key])) or got == pytest.approx(want[key], abs=1e-6), \
                (key, row, want)


def test_no_target_is_out_of_reach(goals):
    baselines, _, _ = goals
    shown = baselines[baselines.suggested_target.notna()]
    higher = shown.indicator_id.map(lambda i: INDICATOR_BY_ID[i].polarity == "higher")
    percent = shown.indicator_id.map(lambda i: INDICATOR_BY_ID[i].unit == PERCENT)
    assert (shown.suggested_target[higher] <= shown.best_published_value[higher] + 1e-9).all()
    assert (shown.suggested_target[~higher] >= shown.best_published_value[~higher] - 1e-9).all()
    keep = shown.target_rule == "behåll_nivån"  # already there: keep it, be it 100 %
    assert (shown.suggested_target[percent] <= 100).all() and (shown.suggested_target[~percent] <= 4).all()
    moving = shown[~keep]
    assert ((moving.suggested_target > 0) & (moving.suggested_target < 100))[percent[~keep]].all()
    assert ((moving.suggested_target > 1) & (moving.suggested_target < 4))[~percent[~keep]].all()
    rules = set(baselines.target_rule)
    assert {"behåll_nivån", "bästa_kvartilen", "påvisbar_förbättring", "bättre_än_utgångsvärdet",
            "för_få_uppföljningar"} <= rules


def test_a_small_municipality_gets_better_than_its_baseline_and_the_sentence_why(goals):
    """n ≈ 14 per year: the detectable change is out of reach, so the target is '> baseline'
    with the change n can detect written out, in the goal workbook's rows and on the page."""
    _, _, records = goals
    small = [r for r in records if r["target_rule"] == "bättre_än_utgångsvärdet" and r["baseline_n"]
             and 10 <= r["baseline_n"] <= 20 and r["min_detectable_change"] is not None
             and INDICATOR_BY_ID[r["indicator_id"]].unit == PERCENT]
    assert small
    record = small[0]
    rows = [values for values, _ in exports._goal_rows([record])]
    columns = [key for key, _, _ in exports.GOAL_COLUMNS]
    note = rows[0][columns.index("goal_note")]
    change = swedish.change(record["min_detectable_change"], PERCENT, long=True)
    assert note == (f"med n = {record['baseline_n']} per år kan bara en förändring på minst {change} påvisas; "
                    "jämför över längre tid eller med länet")
    assert float(change.split()[0].replace(",", ".")) > 20  # tens of percentage points at n ≈ 14
    higher = INDICATOR_BY_ID[record["indicator_id"]].polarity == "higher"
    assert swedish.target(record["suggested_target"], PERCENT, record["target_rule"],
                          INDICATOR_BY_ID[record["indicator_id"]].polarity).startswith(">" if higher else "<")
    assert rows[0][columns.index("n_needed")] == record["n_needed"] and record["n_needed"] > 100


def test_the_independent_detectable_change_agrees_with_the_textbook_figure():
    # p = 0.5, n = 100, worked by hand: d = 1.96 √(2 p̄ q̄ / n) + 0.8416 √((p q + p₂ q₂) / n) with
    # p₂ = 0.6932, p̄ = 0.5966: 0.1360 + 0.0572 = 0.1932, i.e. 19.3 percentage points
    assert detectable_change("percent", 1, 50.0, 100, None) == pytest.approx(19.32, abs=0.01)
    assert needed("percent", 1, 50.0, None) == 1565  # 5 p.e. from 50 %: n = 1565 per period
    assert math.isnan(detectable_change("percent", 1, 99.0, 5, None))
    assert np.isnan(needed("percent", 1, 97.0, None))
