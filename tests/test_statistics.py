"""Tests of uiv_core.cells.statistics and of the methods' oracle (tests/methods_oracle.py).

Reference figures come from the test data of the R package PHEindicatormethods
(github.com/ukhsa-collaboration/PHEindicatormethods, tests/testthat/, commit 093fd28, GPL-3).
Single figures are quoted below with their source; the full-file tests read the files from
$UIV_PHE_REFERENCE (default /work/shared/reference/phe) and skip when it is absent. The files
themselves are never copied into the project.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings, strategies as st

from methods_oracle import (
    SIGNIFICANCE_LABELS,
    TrendResult,
    funnel_significance_proportion,
    mean_limits,
    phe_quantiles,
    trend_chi2,
    trend_chi2_means,
    wilson_limits,
)
from uiv_core.cells.statistics import (
    funnel_limits_overdispersed,
    funnel_limits_proportion,
    min_detectable_change_mean,
    min_detectable_change_proportion,
    t_quantile,
    z_value,
    pooled_interval,
)

PHE = Path(os.environ.get("UIV_PHE_REFERENCE", "/work/shared/reference/phe"))


def reference(name: str) -> Path:
    path = PHE / name
    if not path.is_file():
        pytest.skip(f"PHEindicatormethods reference file {path} not available "
                    "(set UIV_PHE_REFERENCE to the folder holding PHE's tests/testthat data)")
    return path


# --------------------------------------------------------------------------------------------
# 1. Single reference figures (always on)
# --------------------------------------------------------------------------------------------

def test_z_value():
    # PHE zscore(0.95) = qnorm(0.975); zscore(0.998) = qnorm(0.999)
    assert z_value(0.95) == 1.959963984540054
    assert z_value(95) == z_value(0.95)
    assert z_value(0.998) == pytest.approx(3.090232306167813, abs=1e-15)
    with pytest.raises(ValueError):
        z_value(1.5)


def test_wilson_reference_figures():
    # testdata_Byars_Wilson.xlsx (PHEindicatormethods), Wilson rows:
    # 65/100 95 %: 0.552544432968880 - 0.736357517569025; 99.8 %: 0.495494657407043 - 0.778354061408970
    lower, upper = wilson_limits(65, 100)
    assert lower == pytest.approx(0.552544432968880, abs=1e-12)
    assert upper == pytest.approx(0.736357517569025, abs=1e-12)
    lower, upper = wilson_limits(65, 100, 0.998)
    assert (lower, upper) == (pytest.approx(0.495494657407043, abs=1e-12),
                              pytest.approx(0.778354061408970, abs=1e-12))
    # 1045/5000 95 %: 0.197955498800133 - 0.220491303731890
    lower, upper = wilson_limits([1045], [5000], 95)
    np.testing.assert_allclose([lower[0], upper[0]], [0.197955498800133, 0.220491303731890], atol=1e-12)


def test_wilson_edge_cases():
    lower, upper = wilson_limits([0, 5, 10, np.nan], [0, 10, 10, 10])
    assert np.isnan(lower[0]) and np.isnan(upper[0])  # n == 0
    assert np.isnan(lower[3]) and np.isnan(upper[3])  # missing
    assert lower[2] < 1 and upper[2] == pytest.approx(1.0)
    assert lower[1] == pytest.approx(1 - upper[1])  # symmetric around 0.5
    lower, upper = wilson_limits(3, 10, confidence=1)  # PHE: confidence 1 -> 0 and 1
    assert (float(lower), float(upper)) == (0.0, 1.0)
    for bad in [(-1, 10), (11, 10), (1, -1)]:
        with pytest.raises(ValueError):
            wilson_limits(*bad)


def test_mean_limits_textbook_and_reference():
    # PHE phe_mean example values c(30, 40, 50, 60): mean 45, sd sqrt(500/3), n 4,
    # t(0.975, 3) = 3.182446305284263 (t tables: 3.182)
    assert t_quantile(0.95, 3) == pytest.approx(3.182446305284263, abs=1e-12)
    half = 3.182446305284263 * math.sqrt(500 / 3) / 2
    lower, upper = mean_limits(45, math.sqrt(500 / 3), 4)
    assert (float(lower), float(upper)) == (pytest.approx(45 - half), pytest.approx(45 + half))
    # testdata_Mean.xlsx, sheet testdata_Mean_results, Area1: n 8, mean 53.70434500000001,
    # stdev 20.97557525770931 -> 95 % 36.168325241336504 - 71.24036475866352,
    # 99.8 % 18.216705294788838 - 89.19198470521118
    lower, upper = mean_limits(53.70434500000001, 20.97557525770931, 8)
    np.testing.assert_allclose([lower, upper], [36.168325241336504, 71.24036475866352], atol=1e-9)
    lower, upper = mean_limits(53.70434500000001, 20.97557525770931, 8, confidence=99.8)
    np.testing.assert_allclose([lower, upper], [18.216705294788838, 89.19198470521118], atol=1e-9)
    lower, upper = mean_limits([1.0, 1.0], [0.5, 0.5], [1, 0])
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_quantiles_hand_example_with_ties():
    # N = 10, nq = 5, N/nq = 2: q = floor(6 - ceiling((11 - rank)/2)); the tie (two 2s) takes the
    # lower rank 2, so both join quantile 1 and quantile 2 keeps a single value.
    values = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9]
    assert phe_quantiles(values, 5).tolist() == [1, 1, 1, 2, 3, 3, 4, 4, 5, 5]
    # invert: ranks of max - value; quantile 1 holds the highest values
    assert phe_quantiles(values, 5, invert=True).tolist() == [5, 4, 4, 4, 3, 3, 2, 2, 1, 1]


def test_quantiles_missing_and_too_few():
    got = phe_quantiles([4.0, np.nan, 1.0, 3.0, 2.0], 4)
    assert got[[0, 2, 3, 4]].tolist() == [4, 1, 3, 2] and np.isnan(got[1])
    assert np.isnan(phe_quantiles([1.0, 2.0, 3.0], 4)).all()  # fewer values than quantiles
    assert np.isnan(phe_quantiles([np.nan, np.nan], 1)).all()


def test_funnel_limits_reference_figures():
    # testdata_funnel_prop_outputs.csv (in %, 6 decimals), baseline 80.642448 %:
    # population 1: 95 % 3.204264 - 100, 99.8 % 0 - 100 (clipped);
    # population 110000: 95 % 80.408963 - 80.875933, 99.8 % 80.274317 - 81.010578
    limits = funnel_limits_proportion(0.80642448, [1, 110000])
    np.testing.assert_allclose(limits["lower_95"], [3.204264, 80.408963], atol=2e-6)
    np.testing.assert_allclose(limits["upper_95"], [100, 80.875933], atol=2e-6)
    np.testing.assert_allclose(limits["lower_998"], [0, 80.274317], atol=2e-6)
    np.testing.assert_allclose(limits["upper_998"], [100, 81.010578], atol=2e-6)
    proportion = funnel_limits_proportion(0.5, [0, 50], multiplier=1)
    assert np.isnan(proportion["lower_95"][0]) and 0 < proportion["lower_95"][1] < 0.5


def test_funnel_significance_reference_figures():
    # testdata_funnel_prop_inputs.csv, against the pooled 80.642448 %:
    # New Forest PCT 35078.488/41980 High (0.001); Norwich PCT 24803.6256/31824 Low (0.001);
    # South Gloucestershire PCT 50050.7443/61921 Not significant; West Norfolk PCT 26789.238/33012
    # High (0.025); North Devon PCT 30277.5312/37828 Low (0.025)
    x = [35078.488, 24803.6256, 50050.7443, 26789.238, 30277.5312]
    n = [41980, 31824, 61921, 33012, 37828]
    assert funnel_significance_proportion(x, n, baseline=0.80642448).tolist() == [
        "High (0.001)", "Low (0.001)", "Not significant", "High (0.025)", "Low (0.025)"]
    # pooled baseline, a missing row and n = 0 (left out, label "")
    got = funnel_significance_proportion([10, 50, 90, np.nan, 0], [100, 100, 100, 100, 0])
    assert got.tolist() == ["Low (0.001)", "Not significant", "High (0.001)", "", ""]
    with pytest.raises(ValueError):
        funnel_significance_proportion([5], [4])


# --- Spiegelhalter (2005) over-dispersion ---------------------------------------------------
# Hand example: 5 units with n = 100 (s = 1/20, w = 400), baseline 0.25 so y0 = asin(0.5) = pi/6,
# and proportions chosen so that z = (y - y0)/s = -3, -1, 0, 1, 3.
Y0 = math.pi / 6
Z_HAND = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
X_HAND = 100 * np.sin(Y0 + Z_HAND / 20) ** 2
N_HAND = np.full(5, 100.0)


def _arcsine_limit(tau2: float, n: float, z: float, sign: int) -> float:
    return 100 * math.sin(Y0 + sign * z * math.sqrt(1 / (4 * n) + tau2)) ** 2


def test_overdispersion_hand_example_without_winsorising():
    # phi = (9+1+0+1+9)/5 = 4; sum w = 2000, sum w^2/sum w = 400;
    # tau2 = (5*4 - 4)/(2000 - 400) = 16/1600 = 0.01
    r = funnel_limits_overdispersed(X_HAND, N_HAND, baseline=0.25, winsor=0)
    assert r["phi"] == pytest.approx(4.0) and r["tau2"] == pytest.approx(0.01)
    assert r["baseline"] == pytest.approx(25.0)
    # 95 %: sin^2(pi/6 -/+ 1.959964 * sqrt(0.0025 + 0.01)) = 8.98715 % - 45.73830 %
    np.testing.assert_allclose(r["lower_95"], 8.9871538, atol=1e-6)
    np.testing.assert_allclose(r["upper_95"], 45.7383018, atol=1e-6)
    assert r["lower_998"][0] == pytest.approx(_arcsine_limit(0.01, 100, z_value(0.998), -1))
    assert r["upper_998"][0] == pytest.approx(_arcsine_limit(0.01, 100, z_value(0.998), +1))


def test_overdispersion_hand_example_winsorised():
    # 10 %/90 % quantiles of z (linear interpolation): -3 + 0.4*2 = -2.2 and 2.2, so
    # z_w = -2.2, -1, 0, 1, 2.2; phi = (2*4.84 + 2)/5 = 2.336; tau2 = (11.68 - 4)/1600 = 0.0048
    r = funnel_limits_overdispersed(X_HAND, N_HAND, baseline=0.25)
    assert r["phi"] == pytest.approx(2.336) and r["tau2"] == pytest.approx(0.0048)
    assert r["lower_95"][0] == pytest.approx(_arcsine_limit(0.0048, 100, z_value(0.95), -1))
    assert r["upper_95"][0] == pytest.approx(_arcsine_limit(0.0048, 100, z_value(0.95), +1))


def test_overdispersion_tau2_zero_gives_arcsine_limits():
    # under-dispersed units (|z| <= 0.5): I*phi < I - 1, so tau2 = 0 and the limits are the plain
    # arcsine limits sin^2(y0 -/+ z_a/(2 sqrt(n))) at each unit's n.
    n = np.array([50.0, 100, 200, 400, 800])
    z = np.array([-0.5, 0.2, 0.0, -0.1, 0.5])
    x = n * np.sin(Y0 + z / (2 * np.sqrt(n))) ** 2
    r = funnel_limits_overdispersed(x, n, baseline=0.25, at=None)
    assert r["tau2"] == 0.0
    for key, conf, sign in [("lower_95", 0.95, -1), ("upper_95", 0.95, 1),
                            ("lower_998", 0.998, -1), ("upper_998", 0.998, 1)]:
        expected = [_arcsine_limit(0.0, ni, z_value(conf), sign) for ni in n]
        np.testing.assert_allclose(r[key], expected, rtol=1e-12)


def test_overdispersion_wider_with_more_spread_and_clipped():
    narrow = funnel_limits_overdispersed(X_HAND, N_HAND, baseline=0.25, winsor=0)
    x_wide = 100 * np.sin(Y0 + 2 * Z_HAND / 20) ** 2
    wide = funnel_limits_overdispersed(x_wide, N_HAND, baseline=0.25, winsor=0)
    assert wide["tau2"] > narrow["tau2"]
    assert (wide["lower_95"] < narrow["lower_95"]).all() and (wide["upper_95"] > narrow["upper_95"]).all()
    # pooled baseline by default; limits evaluated at other denominators with `at`; clipping at 0
    r = funnel_limits_overdispersed([1, 0, 2, 1, 30], [20, 20, 40, 10, 100], at=[1, 5, 1000])
    assert r["baseline"] == pytest.approx(100 * 34 / 190)
    assert r["lower_998"].shape == (3,) and r["lower_998"][0] == 0.0
    assert (r["lower_998"] <= r["lower_95"]).all() and (r["upper_95"] <= r["upper_998"]).all()
    assert (r["upper_998"] <= 100).all()


# --- trend -----------------------------------------------------------------------------------

def test_trend_chi2_textbook_example():
    # R stats::prop.trend.test documentation example (smokers out of patients):
    # "X-squared = 8.2249, df = 1, p-value = 0.004132"; the proportions fall.
    r = trend_chi2([83, 90, 129, 70], [86, 93, 136, 82])
    assert isinstance(r, TrendResult)
    assert r.chi2 == pytest.approx(8.2249, abs=5e-5)
    assert r.p_value == pytest.approx(0.004132, abs=5e-7)
    assert (r.slope_sign, r.direction) == (-1, "decreasing")
    # scores 1..k give the same statistic as the default 0..k-1
    assert trend_chi2([83, 90, 129, 70], [86, 93, 136, 82], scores=[1, 2, 3, 4]).chi2 == pytest.approx(r.chi2)


def test_trend_in_means_is_n_r_squared_over_the_ratings():
    # the aggregate statistic from each quarter's sum, count and sum of squares equals N·r² of
    # rating against quarter over the individual ratings (the score test for a linear trend)
    rng = np.random.default_rng(7)
    quarters = [rng.integers(1, 5, size=size) + (rng.random(size) < 0.1 * q) for q, size in
                enumerate([14, 9, 0, 17, 22])]
    quarters = [np.minimum(r, 4) for r in quarters]
    ratings = np.concatenate(quarters)
    score = np.concatenate([np.full(len(r), q, dtype=float) for q, r in enumerate(quarters)])
    expected = len(ratings) * np.corrcoef(ratings, score)[0, 1] ** 2
    r = trend_chi2_means([r.sum() for r in quarters], [len(r) for r in quarters],
                         [(r.astype(float) ** 2).sum() for r in quarters], scores=range(5))
    assert r.chi2 == pytest.approx(expected, rel=1e-12)
    # on 0/1 answers it is the chi-square test for trend in proportions
    x, n = [10, 20, 30], [100, 100, 100]
    assert trend_chi2_means(x, n, x, scores=[0, 1, 2]).chi2 == pytest.approx(trend_chi2(x, n).chi2)
    # equal ratings everywhere: no variance, no trend to compute
    assert trend_chi2_means([30, 60, 90], [10, 20, 30], [90, 180, 270], scores=[0, 1, 2]).direction == "not_computed"


def test_trend_chi2_hand_computation():
    # x = 10, 20, 30 of n = 100 each, scores 0, 1, 2: N = 300, X = 60, p = 0.2;
    # T = (0 + 20 + 60) - 60*300/300 = 20; V = 0.16 * (500 - 300^2/300) = 32; chi2 = 400/32 = 12.5
    r = trend_chi2([10, 20, 30], [100, 100, 100])
    assert r.chi2 == pytest.approx(12.5)
    assert r.p_value == pytest.approx(math.erfc(math.sqrt(12.5 / 2)))  # chi2(1) tail
    assert r.direction == "increasing" and r.slope_sign == 1
    # a period with n = 0 is ignored but keeps its place in the default scores
    assert trend_chi2([10, 0, 20, 30], [100, 0, 100, 100]).chi2 == pytest.approx(
        trend_chi2([10, 20, 30], [100, 100, 100], scores=[0, 2, 3]).chi2)
    assert trend_chi2([20, 21, 20, 19], [100, 100, 100, 100]).direction == "no_change"
    assert trend_chi2([10, 20, 30], [100, 0, 100]).direction == "not_computed"  # 2 periods
    assert trend_chi2([0, 0, 0], [10, 20, 30]).direction == "not_computed"  # variance 0
    assert np.isnan(trend_chi2([100, 100, 100], [100, 100, 100]).chi2)


# --- minimum detectable change ----------------------------------------------------------------

def _fleiss_n(p1: float, p2: float, alpha=0.05, power=0.8) -> float:
    za, zb = 1.959963984540054, 0.8416212335729143  # z_0.975, z_0.8
    pbar = (p1 + p2) / 2
    return (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2


def test_min_detectable_change_proportion():
    # 50 % vs 60 %, alpha 0.05 two-sided, power 0.8: the Fleiss formula needs n = 387.3 per group
    n = _fleiss_n(0.5, 0.6)
    assert n == pytest.approx(387.3, abs=0.05)
    assert min_detectable_change_proportion(0.5, n) == pytest.approx(0.1, abs=1e-9)
    assert min_detectable_change_proportion(0.5, n, direction="decrease") == pytest.approx(0.1, abs=1e-9)
    d = min_detectable_change_proportion(0.2, 50, direction="decrease")
    assert _fleiss_n(0.2, 0.2 - d) == pytest.approx(50, rel=1e-9)
    assert min_detectable_change_proportion(0.2, 500) < min_detectable_change_proportion(0.2, 50)
    assert math.isnan(min_detectable_change_proportion(0.5, 1))  # no detectable change
    assert math.isnan(min_detectable_change_proportion(1.0, 100))  # no room to increase
    with pytest.raises(ValueError):
        min_detectable_change_proportion(0.5, 100, direction="up")


def test_min_detectable_change_mean():
    # (1.959964 + 0.841621) * 1 * sqrt(2/100) = 0.396204
    assert min_detectable_change_mean(1, 100) == pytest.approx(0.3962039811599, abs=1e-12)
    assert min_detectable_change_mean(2, 400) == pytest.approx(min_detectable_change_mean(1, 100))
    assert math.isnan(min_detectable_change_mean(1, 0))


# --------------------------------------------------------------------------------------------
# 2. Full reference files (skipped when the PHE folder is absent)
# --------------------------------------------------------------------------------------------

def test_wilson_every_row_of_testdata_proportion():
    path = reference("testdata_Proportion.xlsx")
    prop = pd.read_excel(path, sheet_name="testdata_Prop")  # 95 % and 99.8 %, multiplier 1 or 100
    m = prop["multiplier"].to_numpy(float)
    x, n = prop["Numerator"], prop["Denominator"]
    np.testing.assert_allclose(x / n * m, prop["value"], atol=1e-9)
    for conf, low, up in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
        lower, upper = wilson_limits(x, n, conf)
        np.testing.assert_allclose(lower * m, prop[low], atol=1e-9, equal_nan=True)
        np.testing.assert_allclose(upper * m, prop[up], atol=1e-9, equal_nan=True)
    grouped = pd.read_excel(path, sheet_name="testdata_Prop_g")  # area sums, 95 %
    assert set(grouped["confidence"]) == {"95%"}
    lower, upper = wilson_limits(grouped["Numerator"], grouped["Denominator"])
    gm = grouped["multiplier"].to_numpy(float)
    np.testing.assert_allclose(lower * gm, grouped["lowercl"], atol=1e-9, equal_nan=True)
    np.testing.assert_allclose(upper * gm, grouped["uppercl"], atol=1e-9, equal_nan=True)
    assert len(prop) + len(grouped) == 30


def test_wilson_rows_of_testdata_byars_wilson():
    bw = pd.read_excel(reference("testdata_Byars_Wilson.xlsx"))
    wilson = bw[bw["method"] == "Wilson"]
    assert len(wilson) == 6
    for row in wilson.itertuples():
        lower, upper = wilson_limits(row.x, row.n, float(row.confidence.rstrip("%")))
        assert float(lower) == pytest.approx(row.lowercl, abs=1e-9)
        assert float(upper) == pytest.approx(row.uppercl, abs=1e-9)


def test_mean_results_recomputed_from_raw_values():
    path = reference("testdata_Mean.xlsx")
    raw = pd.read_excel(path, sheet_name="testdata_Mean")
    results = pd.read_excel(path, sheet_name="testdata_Mean_results")
    groups = {area: g["values"].to_numpy(float) for area, g in raw.groupby("area")}
    groups["No grouping"] = raw["values"].to_numpy(float)
    for row in results.itertuples():
        v = groups[row.area]
        n, mean, sd = len(v), v.sum() / len(v), v.std(ddof=1)
        assert (n, v.sum(), mean, sd) == (row.value_count, pytest.approx(row.value_sum, abs=1e-9),
                                          pytest.approx(row.value, abs=1e-9), pytest.approx(row.stdev, abs=1e-9))
        for conf, low, up in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
            lower, upper = mean_limits(mean, sd, n, conf)
            assert float(lower) == pytest.approx(getattr(row, low), abs=1e-9)
            assert float(upper) == pytest.approx(getattr(row, up), abs=1e-9)
    assert len(results) == 3


def test_every_row_of_testdata_quantiles():
    # As PHE's data-raw/LoadTestdata.R and tests/testthat/testQuantiles.R use the file:
    # rows with Test starting "Good" (Gooddata, GooddataDups); Polarity "RAG - Low is good"/TRUE ->
    # invert TRUE, "RAG - High is good"/FALSE -> invert FALSE; GroupSet IndSexReg: deciles within
    # (IndSexRef, ParentCode); IndSex: septiles within IndSexRef; None: quartiles over all rows
    # together with PHE's default invert = TRUE. Expected: QuantileInGrp (NaN when missing).
    q = pd.read_excel(reference("testdata_Quantiles.xlsx"), keep_default_na=False, na_values=[""])
    q = q[q["Test"].str.startswith("Good")]
    invert_of = {"RAG - Low is good": True, "RAG - High is good": False, True: True, False: False}
    nq_of = {"Decile": 10, "Septile": 7, "Quartile": 4}
    setups = {"IndSexReg": (["IndSexRef", "ParentCode"], True), "IndSex": (["IndSexRef"], True),
              "None": ([], False)}
    checked = 0
    for group_set, (keys, by_polarity) in setups.items():
        rows = q[q["GroupSet"] == group_set]
        for _, g in (rows.groupby(keys) if keys else [((), rows)]):
            (name,) = set(g["QuantileNm"])
            inverts = {invert_of[p] for p in g["Polarity"]} if by_polarity else {True}
            assert len(inverts) == 1
            got = phe_quantiles(g["Value"], nq_of[name], invert=inverts.pop())
            np.testing.assert_array_equal(got, g["QuantileInGrp"].to_numpy(float), err_msg=str(g.iloc[0]))
            checked += len(g)
    assert checked == len(q) == 982


def test_all_303_funnel_significance_labels():
    inputs = pd.read_csv(reference("testdata_funnel_prop_inputs.csv"), encoding="utf-8-sig")
    got = funnel_significance_proportion(inputs["numerator"], inputs["denominator"])
    assert len(inputs) == 303
    assert got.tolist() == inputs["significance"].tolist()


def test_funnel_outputs_file():
    inputs = pd.read_csv(reference("testdata_funnel_prop_inputs.csv"), encoding="utf-8-sig")
    outputs = pd.read_csv(reference("testdata_funnel_prop_outputs.csv"), encoding="utf-8-sig")
    baseline = inputs["numerator"].sum() / inputs["denominator"].sum()
    np.testing.assert_allclose(baseline * 100, outputs["Baseline"], atol=1e-6)
    limits = funnel_limits_proportion(baseline, outputs["Population"])
    # "2s"/"0025": 95 % limits (qnorm(0.975), 0.025 in each tail); "3s"/"0001": 99.8 % (qnorm(0.999))
    for key, column in [("lower_95", "Lower2s0025limit"), ("upper_95", "Upper2s0025limit"),
                        ("lower_998", "Lower3s0001limit"), ("upper_998", "Upper3s0001limit")]:
        np.testing.assert_allclose(limits[key], outputs[column], atol=1e-6, err_msg=column)
    assert len(outputs) == 100


# --------------------------------------------------------------------------------------------
# 3. Properties
# --------------------------------------------------------------------------------------------

counts = st.integers(min_value=1, max_value=10**7).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@given(counts)
def test_wilson_brackets_proportion_within_unit_interval(xn):
    x, n = xn
    lower, upper = wilson_limits(x, n)
    assert 0 <= lower <= x / n + 1e-12 and x / n - 1e-12 <= upper <= 1


@given(counts, st.integers(min_value=2, max_value=100))
def test_wilson_narrower_for_larger_n(xn, k):
    x, n = xn
    lower, upper = wilson_limits(x, n)
    lower_k, upper_k = wilson_limits(k * x, k * n)
    assert upper_k - lower_k < upper - lower


@given(counts)
def test_wilson_998_contains_95(xn):
    lower95, upper95 = wilson_limits(*xn, confidence=0.95)
    lower998, upper998 = wilson_limits(*xn, confidence=0.998)
    assert lower998 <= lower95 + 1e-15 and upper95 <= upper998 + 1e-15
    assert upper998 - lower998 > upper95 - lower95


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=12), st.booleans())
def test_quantiles_in_range_and_monotone(values, nq, invert):
    got = phe_quantiles(values, nq, invert)
    if len(values) < nq:
        assert np.isnan(got).all()
        return
    assert set(np.unique(got)) <= set(range(1, nq + 1))
    order = np.argsort(values, kind="stable")
    steps = np.diff(got[order])
    assert (steps <= 0).all() if invert else (steps >= 0).all()


@given(st.floats(0.01, 0.99), st.integers(min_value=1, max_value=10**6))
def test_funnel_limits_bracket_baseline(baseline, n):
    lim = funnel_limits_proportion(baseline, n)
    assert 0 <= lim["lower_998"] <= lim["lower_95"] <= 100 * baseline + 1e-9
    assert 100 * baseline - 1e-9 <= lim["upper_95"] <= lim["upper_998"] <= 100


@settings(max_examples=300)
@given(counts, st.floats(0.001, 0.999))
def test_funnel_significance_is_wilson_interval_excluding_baseline(xn, baseline):
    # The funnel limit is the proportion whose Wilson interval just reaches the baseline, so an
    # area is significant exactly when its own Wilson interval excludes the baseline.
    x, n = xn
    (label,) = funnel_significance_proportion([x], [n], baseline=baseline)
    lower95, upper95 = wilson_limits(x, n, 0.95)
    lower998, upper998 = wilson_limits(x, n, 0.998)
    gaps = np.array([lower95, upper95, lower998, upper998]) - baseline
    assume(np.min(np.abs(gaps)) > 1e-9)  # keep away from floating-point ties
    expected = ("Low (0.001)" if upper998 < baseline else "Low (0.025)" if upper95 < baseline
                else "High (0.001)" if lower998 > baseline else "High (0.025)" if lower95 > baseline
                else "Not significant")
    assert label == expected and label in SIGNIFICANCE_LABELS


def test_the_pooled_baseline_interval_is_the_cells_interval():
    # a pooled goal baseline (uiv_core.cells.baselines) gets the interval every cell gets: Wilson
    # for a share (PHE's 65/100: 55.25–73.64 %), Student-t for a mean
    low, high = pooled_interval(True, 65, 100)
    assert low == pytest.approx(55.2544432968880, abs=1e-10) and high == pytest.approx(73.6357517569025, abs=1e-10)
    expected = mean_limits(2.8, 0.9, 28)
    assert pooled_interval(False, 2.8 * 28, 28, 0.9) == (pytest.approx(float(expected[0])), pytest.approx(float(expected[1])))
    assert all(math.isnan(v) for v in pooled_interval(False, 3, 1, None))
