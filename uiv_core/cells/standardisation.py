"""Indirect standardisation (case-mix adjustment), as PHEindicatormethods' `calculate_ISRatio`
and `calculate_ISRate`: pure functions, no Dagster, no DuckDB.

A unit's observed count O (its numerator) is set against the count E it would have had if each
of its strata (client groups) had the standard's share in that stratum:
E = Σ n_stratum · x_standard,stratum / n_standard,stratum. The ratio O/E (1 = as expected) has
Byar's limits from O = 10 on and exact Poisson limits below (PHE's rule), divided by E. The
indirectly standardised share is O/E × the standard's crude share, its limits scaled the same way.

The SQL of the adjusted cells (`cells/sql/create_adjusted_indicators.sql`) writes out the same formulas and
reads the exact limits for O < 10 from `exact_limit_table`; the tests hold both to PHE's test data.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from uiv_core.cells.statistics import _confidence, z_value

#: PHE uses Byar's approximation from this many observed events on, exact Poisson limits below
BYARS_FROM = 10


def expected_count(n_strata, standard_numerators, standard_denominators) -> float:
    """E = Σ n_s · x_s / N_s over the strata; a stratum with nobody in the unit adds nothing.

    Raises ValueError for a stratum the unit has but the standard does not (N_s = 0)."""
    n, x, d = (np.asarray(v, dtype=float) for v in (n_strata, standard_numerators, standard_denominators))
    n, x, d = (np.nan_to_num(v) for v in (n, x, d))
    if np.any((n > 0) & (d <= 0)):
        raise ValueError("a stratum of the unit has no one in the standard")
    return float(np.sum(np.where(n > 0, n * x / np.where(d > 0, d, 1.0), 0.0)))


def byars_limits(observed, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the exact Poisson limits of an observed count (PHE byars_lower /
    byars_upper): O(1 − 1/(9O) − z/(3√O))³ and (O+1)(1 − 1/(9(O+1)) + z/(3√(O+1)))³."""
    o = np.asarray(observed, dtype=float)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return lower, upper


def exact_poisson_limits(observed, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits of an observed count: qchisq((1−c)/2, 2O)/2 and qchisq(c+(1−c)/2, 2O+2)/2."""
    o = np.asarray(observed, dtype=float)
    c = _confidence(confidence)
    lower = np.where(o > 0, stats.chi2.ppf((1 - c) / 2, np.where(o > 0, 2 * o, 1.0)) / 2, 0.0)
    upper = stats.chi2.ppf(c + (1 - c) / 2, 2 * o + 2) / 2
    return lower, upper


def observed_limits(observed, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The limits of O as PHE chooses them: exact below BYARS_FROM, Byar's from there on."""
    o = np.asarray(observed, dtype=float)
    exact, byars = exact_poisson_limits(o, confidence), byars_limits(o, confidence)
    small = o < BYARS_FROM
    return np.where(small, exact[0], byars[0]), np.where(small, exact[1], byars[1])


def isratio(observed, expected, confidence: float = 0.95, multiplier: float = 1.0
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(O/E, lower, upper) × multiplier, as `calculate_ISRatio`; nan where E is not positive."""
    o, e = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    safe = np.where(e > 0, e, np.nan)
    lower, upper = observed_limits(o, confidence)
    return o / safe * multiplier, lower / safe * multiplier, upper / safe * multiplier


def israte(observed, expected, reference_rate, confidence: float = 0.95, multiplier: float = 1.0
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(O/E × the standard's crude rate, lower, upper) × multiplier, as `calculate_ISRate`: the
    indirectly standardised share when the rate is the standard's crude share."""
    ratio, lower, upper = isratio(observed, expected, confidence)
    scale = np.asarray(reference_rate, dtype=float) * multiplier
    return ratio * scale, lower * scale, upper * scale


def ratio_funnel_limits(expected, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits of O/E around 1 at expected count E: the exact Poisson limits of a count of
    E (qchisq((1−c)/2, 2E)/2E and qchisq(c+(1−c)/2, 2E+2)/2E), smooth in E."""
    e = np.asarray(expected, dtype=float)
    c = _confidence(confidence)
    safe = np.where(e > 0, e, np.nan)
    lower = stats.chi2.ppf((1 - c) / 2, 2 * safe) / (2 * safe)
    upper = stats.chi2.ppf(c + (1 - c) / 2, 2 * safe + 2) / (2 * safe)
    return lower, upper


def exact_limit_table(confidences: dict[str, float]) -> list[tuple]:
    """Rows (observed, <name>_low, <name>_high, ...) of the exact Poisson limits of O = 0 .. 9,
    for the SQL to read (it writes out Byar's formula for larger O)."""
    rows = []
    for o in range(BYARS_FROM):
        row: list = [o]
        for c in confidences.values():
            low, high = exact_poisson_limits(o, c)
            row += [float(low), float(high)]
        rows.append(tuple(row))
    return rows
