"""The methods' oracle: a Python reference of what production computes in SQL.

Wilson and t intervals (`cells/sql/_limits` in the indicator statements), PHE quantiles and the
Öppna jämförelser colours (`cells/sql/cell_quartiles.sql`), funnel significance
(`cells/sql/comparisons.sql`) and the trend test (`cells/sql/cell_trends.sql`) run as SQL in
DuckDB. These functions compute the same thing one value at a time: `tests/test_statistics.py`
checks them against PHEindicatormethods' published test figures, `tests/test_indicators.py`
checks the SQL against them. They are not part of the package: nothing in production calls
them, so a change to a method is made in the SQL and checked here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from uiv_core.cells.statistics import _arrays, _confidence, _sigma_adjustment, t_quantile, z_value

SIGNIFICANCE_LABELS = ("High (0.001)", "High (0.025)", "Low (0.025)", "Low (0.001)", "Not significant")


def wilson_limits(x, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x events out of n, as proportions (0-1).

    Exactly PHEindicatormethods ``wilson_lower``/``wilson_upper`` (Wilson 1927; Newcombe & Altman
    2000): ``(2x + z^2 -/+ z*sqrt(z^2 + 4x(1 - x/n))) / 2 / (n + z^2)``. Confidence 1 gives 0 and 1
    as in PHE. n == 0 or missing input gives nan; x < 0, n < 0 or x > n raise ValueError. Results
    are clipped to [0, 1], which only removes rounding error (x = n can give 1 + 2e-16).
    """
    x, n = _arrays(x, n)
    with np.errstate(invalid="ignore"):
        if np.any(x < 0) or np.any(n < 0) or np.any(x > n):
            raise ValueError("need 0 <= x <= n")
    c = _confidence(confidence)
    valid = (n > 0) & np.isfinite(x) & np.isfinite(n)
    nn = np.where(valid, n, 1.0)
    if c == 1:
        lower, upper = np.zeros_like(x + nn), np.ones_like(x + nn)
    else:
        z = z_value(c)
        with np.errstate(invalid="ignore"):
            root = z * np.sqrt(z**2 + 4 * x * (1 - (x / nn)))
        lower = (2 * x + z**2 - root) / 2 / (nn + z**2)
        upper = (2 * x + z**2 + root) / 2 / (nn + z**2)
    # clipping only removes rounding error at x = 0 or x = n (e.g. 1 + 2e-16)
    lower, upper = np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def mean_limits(mean, sd, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Student-t confidence limits of a mean, as PHE ``phe_mean``.

    ``mean -/+ abs(qt((1 - c)/2, n - 1)) * sd / sqrt(n)`` with sd the sample standard deviation
    (denominator n - 1). n < 2 gives nan.
    """
    mean, sd, n = _arrays(mean, sd, n)
    ok = n >= 2
    half = t_quantile(confidence, np.where(ok, n - 1, 0)) * sd / np.sqrt(np.where(ok, n, 1.0))
    return np.where(ok, mean - half, np.nan), np.where(ok, mean + half, np.nan)


def phe_quantiles(values, nquantiles: int = 4, invert: bool = False) -> np.ndarray:
    """Assign values (one grouping set) to quantiles 1..nquantiles exactly as PHE ``phe_quantile``.

    Which end is quantile 1: with ``invert=False`` quantile 1 holds the LOWEST values and quantile
    ``nquantiles`` the highest; with ``invert=True`` quantile 1 holds the HIGHEST values. (PHE's
    own default is invert=True; its tests map polarity "Low is good" to invert=True and "High is
    good" to invert=False, so quantile 1 is then the worst-performing group.)

    Algorithm: with invert, values become ``max(values) - values``; ranks are ``ties.method =
    "min"`` over the N non-missing values; ``q = floor((nq + 1) - ceiling(((N + 1) - rank) /
    (N / nq)))`` with 0 set to 1. Tied values share the lowest rank, hence the same (lower)
    quantile, and a quantile may stay empty. NaN values get nan; if N < nquantiles every value
    gets nan (PHE warns "too few small areas"). Returns a float array.
    """
    v = np.asarray(values, dtype=float)
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    big_n = int(ok.sum())
    if nquantiles < 1:
        raise ValueError("nquantiles must be >= 1")
    if big_n == 0 or big_n < nquantiles:
        return out
    adj = np.max(v[ok]) - v[ok] if invert else v[ok]
    rank = np.searchsorted(np.sort(adj), adj, side="left") + 1.0  # rank(ties.method = "min")
    q = np.floor((nquantiles + 1) - np.ceil(((big_n + 1) - rank) / (big_n / nquantiles)))
    out[ok] = np.where(q == 0, 1.0, q)
    return out


def funnel_significance_proportion(x, n, baseline: float | None = None) -> np.ndarray:
    """Funnel-plot significance labels for proportions, as PHE ``assign_funnel_significance``
    (formerly ``phe_funnel_significance``), statistic = "proportion".

    x/n is compared with the unclipped limits, strictly and in this order: below 99.8 % lower ->
    "Low (0.001)", below 95 % lower -> "Low (0.025)", above 99.8 % upper -> "High (0.001)", above
    95 % upper -> "High (0.025)", else "Not significant". ``baseline`` defaults to the pooled
    proportion sum(x)/sum(n). Rows with missing x/n or n == 0 (PHE stops on these) get "" and are
    left out of the pooled baseline; x < 0 or x > n raise ValueError.
    """
    x, n = _arrays(x, n)
    with np.errstate(invalid="ignore"):
        if np.any(x < 0) or np.any(n < 0) or np.any(x > n):
            raise ValueError("need 0 <= x <= n")
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    if baseline is None:
        baseline = x[ok].sum() / n[ok].sum() if ok.any() else np.nan
    pop = np.where(ok, n, 1.0)
    prop = np.where(ok, x, 0.0) / pop
    with np.errstate(invalid="ignore"):
        conditions = [prop < _sigma_adjustment(0.999, pop, baseline, "low"),
                      prop < _sigma_adjustment(0.975, pop, baseline, "low"),
                      prop > _sigma_adjustment(0.999, pop, baseline, "high"),
                      prop > _sigma_adjustment(0.975, pop, baseline, "high")]
    labels = np.select(conditions, ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"],
                       "Not significant")
    return np.where(ok, labels, "")


class TrendResult(NamedTuple):
    chi2: float
    p_value: float
    slope_sign: int  # sign of the trend statistic: +1 proportions rise with score, -1 fall, 0 none
    direction: str  # "increasing", "decreasing", "no_change" or "not_computed"


def trend_chi2(x, n, scores=None, alpha: float = 0.05) -> TrendResult:
    """Chi-square test for linear trend in proportions (Cochran-Armitage, no continuity correction;
    Armitage, Berry & Matthews, Statistical Methods in Medical Research; R ``prop.trend.test``).

    With N = sum n, X = sum x, p = X/N and scores s (default 0..k-1 by position, so periods keep
    their spacing when some are dropped): T = sum x s - X sum(n s)/N,
    V = p(1 - p)(sum n s^2 - (sum n s)^2/N), chi2 = T^2/V on 1 df. Periods with n == 0 (or missing)
    are ignored; fewer than 3 remaining periods or V == 0 -> "not_computed" (nan statistic).
    ``direction`` is "increasing"/"decreasing" when p_value < alpha (two-sided), else "no_change".
    """
    x, n = _arrays(x, n)
    s = np.arange(x.size, dtype=float) if scores is None else np.asarray(scores, dtype=float)
    ok = np.isfinite(x) & np.isfinite(n) & np.isfinite(s) & (n > 0)
    x, n, s = x[ok], n[ok], s[ok]
    if x.size < 3:
        return TrendResult(np.nan, np.nan, 0, "not_computed")
    big_n, big_x = n.sum(), x.sum()
    p = big_x / big_n
    t_stat = (x * s).sum() - big_x * (n * s).sum() / big_n
    var = p * (1 - p) * ((n * s * s).sum() - (n * s).sum() ** 2 / big_n)
    if not var > 0:
        return TrendResult(np.nan, np.nan, 0, "not_computed")
    chi2 = float(t_stat**2 / var)
    p_value = float(stats.chi2.sf(chi2, 1))
    sign = int(np.sign(t_stat))
    if p_value < alpha and sign != 0:
        direction = "increasing" if sign > 0 else "decreasing"
    else:
        direction = "no_change"
    return TrendResult(chi2, p_value, sign, direction)


def trend_chi2_means(sums, n, sum_squares, scores, alpha: float = 0.05) -> TrendResult:
    """The score test for a linear trend in means (ratings) over periods, from each period's sum,
    count and sum of squares: T = sum(sum_s * s) - X sum(n s)/N, V = v (sum n s^2 - (sum n s)^2/N)
    with v the ratings' variance in population form (sum of squares/N - mean^2); chi2 = T^2/V on
    1 df, which is N r^2 of rating against score over the individual ratings (a share's 0/1
    answers give Cochran-Armitage). Same rules as ``trend_chi2`` for empty periods and V == 0."""
    sums, n, sq = (np.asarray(a, dtype=float) for a in (sums, n, sum_squares))
    s = np.asarray(scores, dtype=float)
    ok = np.isfinite(sums) & np.isfinite(n) & (n > 0)
    sums, n, sq, s = sums[ok], n[ok], sq[ok], s[ok]
    if sums.size < 3:
        return TrendResult(np.nan, np.nan, 0, "not_computed")
    big_n, big_x = n.sum(), sums.sum()
    v = sq.sum() / big_n - (big_x / big_n) ** 2
    t_stat = (sums * s).sum() - big_x * (n * s).sum() / big_n
    var = v * ((n * s * s).sum() - (n * s).sum() ** 2 / big_n)
    if not v > 1e-12 * sq.sum() / big_n or not var > 0:
        return TrendResult(np.nan, np.nan, 0, "not_computed")
    chi2 = float(t_stat**2 / var)
    p_value = float(stats.chi2.sf(chi2, 1))
    sign = int(np.sign(t_stat))
    direction = ("increasing" if sign > 0 else "decreasing") if p_value < alpha and sign != 0 else "no_change"
    return TrendResult(chi2, p_value, sign, direction)


