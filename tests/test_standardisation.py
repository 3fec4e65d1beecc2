"""Tests of uiv_core.cells.standardisation (indirect standardisation, case-mix adjustment).

Reference: PHEindicatormethods' test data testdata_DSR_ISR.xlsx (tests/testthat, commit 093fd28,
GPL-3), sheets testdata_multiarea_isr, testdata_err2 and refdata as inputs and testresults_ISR as
the results of calculate_ISRate / calculate_ISRatio. Single figures are quoted below; the
full-file test reads the file from $UIV_PHE_REFERENCE and skips when it is absent.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from test_statistics import reference
from uiv_core.cells.standardisation import (
    BYARS_FROM,
    byars_limits,
    exact_limit_table,
    exact_poisson_limits,
    expected_count,
    isratio,
    israte,
    observed_limits,
    ratio_funnel_limits,
)


def test_single_reference_figures():
    # testresults_ISR, testdata_big: observed 895, expected 835.8835612311743, ratio x 1 (Byars)
    value, low, high = isratio(895, 835.8835612311743, 0.95)
    assert float(value) == pytest.approx(1.0707232939020275, rel=1e-12)
    assert float(low) == pytest.approx(1.0017147712553987, rel=1e-12)
    assert float(high) == pytest.approx(1.143233287249895, rel=1e-12)
    # testdata_tiny: observed 9 (< 10: exact Poisson limits), 99.8 % upper of the ratio
    assert float(isratio(9, 835.8835612311743, 0.998)[2]) == pytest.approx(0.02710589651469021, rel=1e-12)
    # testdata_small, indirectly standardised rate per 100000 with reference rate 9349.88309221102
    rate = israte(91, 835.8835612311743, 9349.88309221102 / 100000, 0.95, 100000)
    assert float(rate[0]) == pytest.approx(1017.8922051511577, rel=1e-12)
    assert float(rate[1]) == pytest.approx(819.521002506463, rel=1e-12)


def test_every_isr_case_of_the_reference():
    import openpyxl

    book = openpyxl.load_workbook(reference("testdata_DSR_ISR.xlsx"), read_only=True)
    rows = lambda sheet: [r for r in list(book[sheet].iter_rows(values_only=True))[1:] if r[0] is not None]  # noqa: E731
    standard = rows("refdata")  # (band, refcount, refpop) in the order of the bands
    inputs: dict[str, list[tuple]] = {}
    for area, _band, count, pop, refcount, refpop in rows("testdata_multiarea_isr"):
        inputs.setdefault(area, []).append((count or 0, pop or 0, refcount or 0, refpop or 0))
    for (area, count, pop, *_), (_band, refcount, refpop, *_) in zip(
            [r for r in rows("testdata_err2") if r[0] in ("Area1", "Area2")],
            standard * 2):
        inputs.setdefault(area, []).append((count, pop, refcount, refpop))
    results = rows("testresults_ISR")
    assert len(results) == 16
    for area, observed, expected, ref_rate, value, *limits, statistic, method in results:
        strata = inputs[area]
        assert sum(c for c, *_ in strata) == observed
        e = expected_count([p for _, p, _, _ in strata], [rc for *_, rc, _ in strata], [rp for *_, rp in strata])
        assert e == pytest.approx(expected, rel=1e-12), area
        assert (method == "Exact") == (observed < BYARS_FROM)
        if "rate" in statistic:
            multiplier = float(statistic.rsplit(" ", 1)[1])
            rate = sum(rc for *_, rc, _ in strata) / sum(rp for *_, rp in strata)
            assert rate * multiplier == pytest.approx(ref_rate, rel=1e-12)
            at = lambda c: israte(observed, e, rate, c, multiplier)  # noqa: E731
        else:
            multiplier = float(statistic.rsplit(" ", 1)[1])
            at = lambda c: isratio(observed, e, c, multiplier)  # noqa: E731
        got95, got998 = at(0.95), at(0.998)
        assert float(got95[0]) == pytest.approx(value, rel=1e-9), (area, statistic)
        assert [float(got95[1]), float(got95[2])] == pytest.approx(limits[:2], rel=1e-9), (area, statistic)
        if limits[2] is not None:  # the Area1 / Area2 cases give 95 % limits only
            assert [float(got998[1]), float(got998[2])] == pytest.approx(limits[2:], rel=1e-9), (area, statistic)


def test_hand_worked_two_strata():
    # Standard (the country): stratum A 60 improved of 100, stratum B 20 of 100; crude 80/200 = 40 %.
    # The municipality: 10 clients in A and 30 in B, 12 improved: crude 12/40 = 30 %, below 40 %.
    # Expected E = 10 · 0.6 + 30 · 0.2 = 6 + 6 = 12, so O/E = 12/12 = 1: as expected for its mix.
    e = expected_count([10, 30], [60, 20], [100, 100])
    assert e == pytest.approx(12.0)
    ratio, low, high = isratio(12, e, 0.95)
    assert float(ratio) == pytest.approx(1.0)
    # Byar, O = 12: lower = 12 (1 − 1/108 − z/(3√12))³ / 12, upper = 13 (1 − 1/117 + z/(3√13))³ / 12
    z = 1.959963984540054
    assert float(low) == pytest.approx((1 - 1 / 108 - z / (3 * math.sqrt(12))) ** 3)
    assert float(high) == pytest.approx(13 * (1 - 1 / 117 + z / (3 * math.sqrt(13))) ** 3 / 12)
    assert float(low) < 1 < float(high)
    # the indirectly standardised share: O/E × the country's crude share (40 %) = 40 %
    share, share_low, share_high = israte(12, e, 0.4, 0.95, 100)
    assert float(share) == pytest.approx(40.0)
    assert float(share_low) == pytest.approx(40 * float(low))


def test_limits_choose_exact_below_ten_and_are_monotone():
    small, large = observed_limits([9, 10])[0]
    assert small == pytest.approx(float(exact_poisson_limits(9)[0]))
    assert large == pytest.approx(float(byars_limits(10)[0]))
    low0, high0 = observed_limits(0)
    assert float(low0) == 0.0 and float(high0) == pytest.approx(3.6888794541139363)  # qchisq(0.975, 2)/2
    lows, highs = observed_limits(np.arange(0, 60), 0.998)
    assert np.all(np.diff(lows) > 0) and np.all(np.diff(highs) > 0)
    assert np.all(lows <= np.arange(0, 60)) and np.all(highs >= np.arange(0, 60))


def test_exact_table_and_funnel():
    table = exact_limit_table({"95": 0.95, "998": 0.998})
    assert [r[0] for r in table] == list(range(BYARS_FROM))
    assert table[3][1:3] == pytest.approx(tuple(float(v) for v in exact_poisson_limits(3, 0.95)))
    assert table[3][3:5] == pytest.approx(tuple(float(v) for v in exact_poisson_limits(3, 0.998)))
    low, high = ratio_funnel_limits([4.0, 40.0, 400.0], 0.95)
    assert np.all(low < 1) and np.all(high > 1)
    assert np.all(np.diff(low) > 0) and np.all(np.diff(high) < 0)  # the funnel narrows with E


def test_expected_refuses_a_stratum_missing_from_the_standard():
    with pytest.raises(ValueError):
        expected_count([1, 2], [1, 0], [5, 0])
    assert expected_count([0, 2], [1, 3], [0, 6]) == pytest.approx(1.0)
