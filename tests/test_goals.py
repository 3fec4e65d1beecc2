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
from methods_oracle import mean_limits, wilson_limits
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
        SELECT p.period, p.unit_code, p.target_group, p.indicator_id, p.value, p.numerator, p.denominator,
               c.quartile, i.sd
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


PLANNING_N = 30  # the default planning n: under it a baseline pools eight quarters


def baseline_of(row, municipal: pd.DataFrame) -> dict:
    """The baseline as the rules say, from the published cells: the latest four quarters, or under
    the planning n the latest eight pooled (the two windows' sums), where both windows are shown."""
    def cell(period):
        found = municipal[(municipal.unit_code == row.unit_code) & (municipal.period == period)
                          & (municipal.target_group == row.target_group) & (municipal.indicator_id == row.indicator_id)]
        return None if found.empty else found.iloc[0]

    own = cell(row.period)
    previous = cell(str(int(row.period[:4]) - 1) + row.period[4:])
    unit = INDICATOR_BY_ID[row.indicator_id].unit
    sd = None if pd.isna(own.sd) else float(own.sd)
    result = {"value": own.value, "n": own.denominator, "yearly_n": own.denominator, "sd": sd, "quarters": 4,
              "low": math.nan, "high": math.nan}
    if pd.isna(own.value) or own.denominator >= PLANNING_N or previous is None or pd.isna(previous.value):
        return result
    x, n = float(own.numerator + previous.numerator), float(own.denominator + previous.denominator)
    if unit == PERCENT:
        low, high = wilson_limits(x, n)
        return result | {"value": 100 * x / n, "n": n, "quarters": 8, "low": 100 * float(low), "high": 100 * float(high)}
    squares = sum((0.0 if pd.isna(c.sd) else float(c.sd) ** 2 * (c.denominator - 1)) + float(c.numerator) ** 2 / c.denominator
                  for c in (own, previous))
    pooled_sd = math.sqrt((squares - x * x / n) / (n - 1))
    low, high = mean_limits(x / n, pooled_sd, n)
    return result | {"value": x / n, "n": n, "quarters": 8, "sd": pooled_sd, "low": float(low), "high": float(high)}


def expected(row, municipal: pd.DataFrame) -> dict:
    indicator = INDICATOR_BY_ID[row.indicator_id]
    better = 1 if indicator.polarity == "higher" else -1
    same = municipal[(municipal.period == row.period) & (municipal.target_group == row.target_group)
                     & (municipal.indicator_id == row.indicator_id) & municipal.value.notna()]
    best_quartile = same[same.quartile == 1].value
    threshold = (best_quartile.min() if better > 0 else best_quartile.max()) if len(best_quartile) else math.nan
    best = same.value.max() if better > 0 else same.value.min()
    base = baseline_of(row, municipal)
    value = base["value"]
    if pd.isna(value):
        return {"target_rule": "för_få_uppföljningar", "suggested_target": math.nan, "min_detectable_change": math.nan,
                "n_needed": math.nan, "best_published_value": best, "best_quartile_threshold": threshold}
    sd = base["sd"]
    mdc = detectable_change(indicator.unit, better, value, base["yearly_n"], sd)
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
    if better * (target - best) > 0:  # a pooled baseline beyond every published four-quarter value
        target = best
    return {"target_rule": rule, "suggested_target": target, "min_detectable_change": mdc,
            "n_needed": needed(indicator.unit, better, value, sd), "best_published_value": best,
            "best_quartile_threshold": threshold, "baseline_value": value, "baseline_n": base["n"],
            "baseline_quarters": base["quarters"], "yearly_n": base["yearly_n"],
            **({"baseline_ci95_low": base["low"], "baseline_ci95_high": base["high"]} if base["quarters"] == 8 else {})}


def test_every_baseline_is_recomputed_from_the_published_inputs(goals):
    baselines, municipal, _ = goals
    assert len(baselines) > 1000 and (baselines.baseline_quarters == 8).sum() > 50  # small ones pool
    for row in baselines.itertuples(index=False):
        want = expected(row, municipal)
        assert row.target_rule == want["target_rule"], (row, want)
        keys = ["suggested_target", "min_detectable_change", "n_needed", "best_published_value",
                "best_quartile_threshold"]
        if row.target_rule != "för_få_uppföljningar":
            keys += ["baseline_value", "baseline_n", "baseline_quarters", "yearly_n"]
            keys += ["baseline_ci95_low", "baseline_ci95_high"] if want.get("baseline_quarters") == 8 else []
        for key in keys:
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
    small = [r for r in records if r["target_rule"] == "bättre_än_utgångsvärdet" and r["yearly_n"]
             and 10 <= r["yearly_n"] <= 20 and r["min_detectable_change"] is not None
             and INDICATOR_BY_ID[r["indicator_id"]].unit == PERCENT and r["baseline_quarters"] == 8]
    assert small
    record = small[0]
    rows = [values for values, _ in exports._goal_rows([record])]
    columns = [key for key, _, _ in exports.GOAL_COLUMNS]
    note = rows[0][columns.index("goal_note")]
    change = swedish.change(record["min_detectable_change"], PERCENT, long=True)
    # under 30 in four quarters: the baseline pools eight, and says so; the change is that of one year's n
    eight = swedish.quarters_of(record["period"], 8)
    assert rows[0][columns.index("period")] == eight and record["baseline_n"] > record["yearly_n"]
    assert note == (f"utgångsvärdet bygger på de åtta senaste kvartalen ({eight}) eftersom de fyra senaste bara "
                    f"har n = {record['yearly_n']}; med n = {record['yearly_n']} per år kan bara en förändring på "
                    f"minst {change} påvisas; jämför över längre tid eller med länet")
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


def test_the_planning_n_is_a_setting(monkeypatch):
    """UIV_PLANNING_N sets the threshold under which a baseline pools eight quarters; it reaches
    the baselines asset through the publication rules; nonsense is refused with its name."""
    from pipelines.resources import build_resources
    from pipelines.settings import settings_from_env

    assert settings_from_env().planning_n == PLANNING_N
    monkeypatch.setenv("UIV_PLANNING_N", "50")
    assert build_resources(settings_from_env())["rules"].planning_n == 50
    for bad in ("many", "0"):
        monkeypatch.setenv("UIV_PLANNING_N", bad)
        with pytest.raises(ValueError, match="UIV_PLANNING_N"):
            settings_from_env()


def test_a_higher_planning_n_pools_more_and_one_pools_none(tmp_path):
    from uiv_core.cells.baselines import build_baselines

    con = build_sample_store(tmp_path, publish=False)
    counts = {}
    for planning in (1, 30, 1000):
        build_baselines(con, planning)
        counts[planning] = con.execute("SELECT count(pooled_n) FROM baselines").fetchall()[0][0]
    con.close()
    assert counts[1] == 0 < counts[30] < counts[1000]
