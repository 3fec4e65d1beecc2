"""Pure statistical methods that production calls from Python (no Dagster, no DuckDB): the normal
and t quantiles the SQL intervals use, the funnel limits the charts draw, and the minimum
detectable changes of the baselines. The intervals, quartiles, funnel labels and trend of the
cells are computed in SQL (`cells/sql/`); their Python reference, which the SQL is tested
against, is `tests/methods_oracle.py`.

Confidence intervals, quantile assignment and funnel-plot significance follow the R package
PHEindicatormethods (UKHSA/OHID, the methods behind England's Fingertips), reproduced exactly so
that the package's published test figures are matched; the over-dispersion funnel, the trend test
and the minimum detectable changes are standard textbook methods, cited where defined.

Confidence levels may be given as 0.95 or 95 (as in PHEindicatormethods). All functions accept
scalars or array-likes and return float64 numpy arrays unless stated otherwise.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import optimize, stats


def _confidence(confidence: float) -> float:
    """Scale 95 -> 0.95 (PHE convention: values >= 90 are percentages) and validate."""
    c = float(confidence)
    if c >= 90:
        c /= 100
    if not 0 < c <= 1:
        raise ValueError(f"confidence must be in (0, 1] or [90, 100], got {confidence!r}")
    return c


@functools.cache
def _normal_quantile(q: float) -> np.float64:
    """``qnorm(q)``, kept once worked out: the baselines ask for the same two quantiles per row,
    and scipy's call costs more than the rest of the row."""
    return stats.norm.ppf(q)


def _arrays(*values) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


def z_value(confidence: float) -> float:
    """Two-sided standard-normal quantile, ``qnorm(c + (1 - c)/2)`` as PHE ``zscore``.

    0.95 -> 1.959963984540054; 0.998 -> 3.090232306167813.
    """
    c = _confidence(confidence)
    return float(stats.norm.ppf(c + (1 - c) / 2))


def t_quantile(confidence: float, df) -> np.ndarray:
    """Two-sided Student-t quantile ``abs(qt((1 - c)/2, df))`` as PHE ``phe_mean``; df < 1 -> nan."""
    c = _confidence(confidence)
    df = np.asarray(df, dtype=float)
    safe = np.where(df >= 1, df, 1.0)
    return np.where(df >= 1, np.abs(stats.t.ppf((1 - c) / 2, safe)), np.nan)


def pooled_interval(unit_is_percent: bool, x: float, n: float, sd: float | None = None,
                    confidence: float = 0.95) -> tuple[float, float]:
    """The interval of one pooled cell, the same formulas as the cells' SQL (cells/sql/
    indicator_cells.sql): for a share the Wilson score interval in per cent (x events of n), for a
    mean the Student-t interval (x the sum of the ratings, sd their standard deviation); nan where
    n is too small (0, or 1 for a mean)."""
    if not n > 0:
        return float("nan"), float("nan")
    if unit_is_percent:
        z = z_value(confidence)
        root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
        low, high = ((2 * x + z * z + sign * root) / 2 / (n + z * z) for sign in (-1, 1))
        return float(100 * min(1.0, max(0.0, low))), float(100 * min(1.0, max(0.0, high)))
    if sd is None or not n >= 2 or sd != sd:
        return float("nan"), float("nan")
    half = float(t_quantile(confidence, n - 1)) * sd / np.sqrt(n)
    return float(x / n - half), float(x / n + half)


def _sigma_adjustment(p: float, population: np.ndarray, average: float, side: str) -> np.ndarray:
    """PHE ``sigma_adjustment`` (R/Funnels.R) as a proportion: the observed proportion at which the
    Wilson interval (z = qnorm(p)) of an area of this population just reaches ``average``."""
    q2 = stats.norm.ppf(p) ** 2
    first = average * (population / q2 + 1)
    adj = np.sqrt((-8 * average * (population / q2 + 1)) ** 2 - 64 * (1 / q2 + 1 / population)
                  * average * (population * (average * (population / q2 + 2) - 1) + q2 * (average - 1)))
    sign = -1.0 if side == "low" else 1.0
    return (first + sign * adj / 8) / (1 / q2 + 1 / population) / population


def funnel_limits_proportion(baseline: float, n, multiplier: float = 100) -> dict[str, np.ndarray]:
    """95 % and 99.8 % funnel-plot control limits for a proportion, as PHE
    ``calculate_funnel_limits(statistic = "proportion")`` (formerly ``phe_funnels``).

    ``baseline`` is a proportion (0-1); limits are in multiplier units at denominators ``n``. The
    limit is the value whose Wilson score interval just touches the baseline (``sigma_adjustment``
    with p = 0.975 -> PHE's "2s"/0.025 columns, p = 0.999 -> "3s"/0.001 columns). Lower limits are
    clipped at 0, upper limits at ``multiplier`` (PHE clips at a literal 100). n <= 0 -> nan.
    """
    (n,) = _arrays(n)
    ok = n > 0
    pop = np.where(ok, n, 1.0)
    out = {}
    for key, p in (("95", 0.975), ("998", 0.999)):
        with np.errstate(invalid="ignore"):
            low = np.maximum(0.0, _sigma_adjustment(p, pop, baseline, "low") * multiplier)
            high = np.minimum(float(multiplier), _sigma_adjustment(p, pop, baseline, "high") * multiplier)
        out[f"lower_{key}"] = np.where(ok, low, np.nan)
        out[f"upper_{key}"] = np.where(ok, high, np.nan)
    return out


def funnel_limits_overdispersed(x, n, baseline: float | None = None, multiplier: float = 100,
                                winsor: float = 0.1, *, at=None) -> dict:
    """Funnel limits for proportions inflated for over-dispersion by an additive random effect.

    Spiegelhalter DJ (2005) "Handling over-dispersion of performance indicators", Qual Saf Health
    Care 14:347-351, with the arcsine square-root transform: y = asin(sqrt(x/n)), s = 1/(2 sqrt(n)),
    y0 = asin(sqrt(baseline)), z = (y - y0)/s. z is winsorised at its ``winsor`` and ``1 - winsor``
    quantiles (numpy linear interpolation = R type 7), phi = mean(z_w^2) over the I units, and
    tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)) with w = 1/s^2. Limits are
    y0 -/+ z_a sqrt(s^2 + tau^2), z_a = 1.96 (95 %) or 3.09 (99.8 %); the angle is clipped to
    [0, pi/2] before the sin^2 back-transform, so limits lie in [0, multiplier].

    Units with n <= 0 or missing data are left out of the estimation and get nan limits. ``baseline``
    (a proportion) defaults to the pooled sum(x)/sum(n). Limits are evaluated at each unit's n, or at
    the denominators ``at`` (e.g. a plotting grid). Returns lower/upper_95/998 arrays plus ``phi``,
    ``tau2`` and ``baseline`` (in multiplier units).
    """
    x, n = _arrays(x, n)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    xs, ns = x[ok], n[ok]
    if baseline is None:
        baseline = xs.sum() / ns.sum() if ok.any() else np.nan
    y0 = np.arcsin(np.sqrt(baseline))
    z = (np.arcsin(np.sqrt(xs / ns)) - y0) * 2 * np.sqrt(ns)
    big_i = z.size
    if big_i >= 2:
        lo, hi = np.quantile(z, [winsor, 1 - winsor])
        phi = float(np.mean(np.clip(z, lo, hi) ** 2))
        w = 4 * ns
        tau2 = max(0.0, float((big_i * phi - (big_i - 1)) / (w.sum() - (w**2).sum() / w.sum())))
    else:
        phi, tau2 = np.nan, np.nan
    target = n if at is None else np.asarray(at, dtype=float)
    valid = (ok if at is None else np.isfinite(target) & (target > 0)) & np.isfinite(tau2)
    s2 = 1 / (4 * np.where(valid, target, 1.0))
    out: dict = {}
    for key, conf in (("95", 0.95), ("998", 0.998)):
        half = z_value(conf) * np.sqrt(s2 + (tau2 if np.isfinite(tau2) else 0.0))
        low = np.sin(np.clip(y0 - half, 0, np.pi / 2)) ** 2 * multiplier
        high = np.sin(np.clip(y0 + half, 0, np.pi / 2)) ** 2 * multiplier
        out[f"lower_{key}"] = np.where(valid, low, np.nan)
        out[f"upper_{key}"] = np.where(valid, high, np.nan)
    out.update(phi=phi, tau2=tau2, baseline=float(baseline) * multiplier)
    return out


def min_detectable_change_proportion(p: float, n: float, alpha: float = 0.05, power: float = 0.8,
                                     direction: str = "increase") -> float:
    """Smallest absolute change d (proportion units) detectable between two periods of n each.

    Two-sided two-sample test of p1 = p against p2 = p + d (or p - d for ``direction="decrease"``),
    normal approximation without continuity correction (Fleiss, Levin & Paik, Statistical Methods
    for Rates and Proportions, 3rd ed. 2003, ch. 4),
    pooled variance under H0 and unpooled under H1, solved exactly for d with Brent's method:

        d = z_{1-alpha/2} sqrt(2 pbar qbar / n) + z_{power} sqrt((p1 q1 + p2 q2) / n),
        pbar = (p1 + p2)/2.

    Returns nan when no change within [0, 1] reaches the power (or p, n invalid).
    """
    if direction not in ("increase", "decrease"):
        raise ValueError("direction must be 'increase' or 'decrease'")
    if not (0 <= p <= 1) or not n > 0:
        return float("nan")
    za, zb = _normal_quantile(1 - alpha / 2), _normal_quantile(power)
    sign = 1.0 if direction == "increase" else -1.0
    room = 1 - p if direction == "increase" else p

    def gap(d: float) -> float:
        p2 = p + sign * d
        pbar = (p + p2) / 2
        need = za * np.sqrt(2 * pbar * (1 - pbar) / n) + zb * np.sqrt((p * (1 - p) + p2 * (1 - p2)) / n)
        return d - need

    if room <= 0 or gap(room) < 0:
        return float("nan")
    lo = 1e-15
    if gap(lo) >= 0:
        return lo
    return float(optimize.brentq(gap, lo, room, xtol=1e-14, rtol=1e-12))


def min_detectable_change_mean(sd: float, n: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest detectable difference between two means with n per period (normal approximation):
    ``(z_{1-alpha/2} + z_{power}) * sd * sqrt(2/n)``."""
    if not n > 0:
        return float("nan")
    return float((_normal_quantile(1 - alpha / 2) + _normal_quantile(power)) * sd * np.sqrt(2 / n))


def n_needed_proportion(p: float, d: float, alpha: float = 0.05, power: float = 0.8,
                        direction: str = "increase") -> float:
    """Follow-ups per period needed to detect a change of d (proportion units) from p, the same
    test as `min_detectable_change_proportion` solved for n:

        n = (z_{1-alpha/2} sqrt(2 pbar qbar) + z_{power} sqrt(p1 q1 + p2 q2))² / d²

    rounded up; nan when p ± d leaves [0, 1] (or p, d invalid)."""
    if direction not in ("increase", "decrease"):
        raise ValueError("direction must be 'increase' or 'decrease'")
    p2 = p + d if direction == "increase" else p - d
    if not (0 <= p <= 1) or not d > 0 or not 0 <= p2 <= 1:
        return float("nan")
    za, zb = _normal_quantile(1 - alpha / 2), _normal_quantile(power)
    pbar = (p + p2) / 2
    root = za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p * (1 - p) + p2 * (1 - p2))
    return float(np.ceil((root / d) ** 2 - 1e-9))


def n_needed_mean(sd: float, d: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Ratings per period needed to detect a change of d between two means, the inverse of
    `min_detectable_change_mean`: ``2 ((z_{1-alpha/2} + z_{power}) sd / d)²``, rounded up."""
    if not d > 0 or not sd >= 0:
        return float("nan")
    return float(np.ceil(2 * ((_normal_quantile(1 - alpha / 2) + _normal_quantile(power)) * sd / d) ** 2 - 1e-9))
