"""Figures as a Swedish reader expects them, in one place: decimal comma, a real minus sign, a
space between thousands, `..` for a value not shown, and periods spelled out. The words
themselves (labels, marks) live in `uiv_schema.labels`; charts, report, exports and the
notebooks format through these functions only.

    >>> number(72.44), number(2.846, "mean"), number(-3.25, sign=False), number(None)
    ('72,4 %', '2,85', '−3,2', '..')
    >>> count(15896), interval(66.12, 73.71, "percent")
    ('15 896', '66,1–73,7 %')
    >>> quarters_of("2026Q3"), period("2026Q3", "rolling4q"), period("2025", "year")
    ('2025Q4–2026Q3', 'Rullande fyra kvartal 2025Q4–2026Q3', 'Kalenderår 2025')
    >>> incomplete_year("2026Q3"), incomplete_year("2026Q1"), incomplete_year("2026Q4")
    ('2026 (kv 1–3)', '2026 (kv 1)', '2026')
    >>> change(5.83), change(0.452, "mean"), change(41.6, long=True)
    ('5,8 p.e.', '0,45 skalsteg', '41,6 procentenheter')
    >>> target(40.0, "percent", "bättre_än_utgångsvärdet", "higher"), target(None, "percent", "för_få_uppföljningar", "higher")
    ('> 40,0 %', '..')
"""

from __future__ import annotations

from uiv_core.quarters import quarter_index, quarter_label
from uiv_schema.indicators import HIGHER, MEAN, PERCENT
from uiv_schema.labels import (NO_PERIOD_LABEL, NOT_CALCULABLE, NOTHING_DETECTABLE_NOTE, OUT_OF_REACH_NOTE, POOLED_NOTE,
                               PERIOD_TYPE_LABELS, RATIO_TEXT, SUPPRESSED_MARK)
from uiv_schema.results import TARGET_RULE


def missing(value) -> bool:
    """None, NaN and pandas' NA: no value to show."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pandas' NA refuses to be a truth value
        return True


def number(value, unit: str = PERCENT, sign: bool = True, decimals: int | None = None) -> str:
    """A value: one decimal for a percentage ('72,4 %', without the sign '72,4'), two for a mean
    rating ('2,85'), or `decimals`; missing → '..'."""
    if missing(value):
        return SUPPRESSED_MARK
    digits = decimals if decimals is not None else (1 if unit == PERCENT else 2)
    text = f"{float(value):.{digits}f}".replace(".", ",").replace("-", "−")
    return f"{text} %" if unit == PERCENT and sign else text


def count(value) -> str:
    """A count with a space between thousands ('15 896'); missing → '..'."""
    return SUPPRESSED_MARK if missing(value) else f"{int(value):,}".replace(",", " ")


def interval(low, high, unit: str = PERCENT) -> str:
    """A confidence interval, '66,1–73,7 %'; missing → '..'."""
    if missing(low) or missing(high):
        return SUPPRESSED_MARK
    return f"{number(low, unit, sign=False)}–{number(high, unit)}"


def ratio(value, low, high) -> str:
    """An observed/expected ratio with its interval, '0,92 (0,84–1,01) av förväntat'; missing → '..'."""
    if missing(value) or missing(low) or missing(high):
        return SUPPRESSED_MARK
    ratio, low, high = (number(v, MEAN) for v in (value, low, high))
    return RATIO_TEXT.format(ratio=ratio, low=low, high=high)


def quarters_of(period_label: str, quarters: int = 4) -> str:
    """A rolling window's label as its quarters: '2026Q3' → '2025Q4–2026Q3' (eight quarters:
    '2024Q4–2026Q3')."""
    return f"{quarter_label(quarter_index(period_label) - quarters + 1)}–{period_label}"


def incomplete_year(last_quarter: str) -> str:
    """A calendar year up to `last_quarter`, saying which quarters it holds: '2026Q3' → '2026 (kv 1–3)',
    '2026Q1' → '2026 (kv 1)'; a fourth quarter gives the plain year."""
    year, quarter = last_quarter[:4], int(last_quarter[-1])
    return year if quarter == 4 else f"{year} (kv 1{'' if quarter == 1 else f'–{quarter}'})"


def period(period_label: str, period_type: str) -> str:
    """'2026Q3', rolling4q → 'Rullande fyra kvartal 2025Q4–2026Q3'; '2025', year → 'Kalenderår 2025'."""
    if period_type == "rolling4q":
        return f"{PERIOD_TYPE_LABELS[period_type]} {quarters_of(period_label)}"
    return f"{PERIOD_TYPE_LABELS[period_type]} {period_label}"


def period_in_sentence(period_label: str | None) -> str:
    """The latest rolling window inside a sentence: 'rullande fyra kvartal 2025Q4–2026Q3', or
    'ingen period ännu' before four quarters are loaded."""
    if period_label is None:
        return NO_PERIOD_LABEL
    return f"{PERIOD_TYPE_LABELS['rolling4q'].lower()} {quarters_of(period_label)}"


def shown(value, unit: str = PERCENT, hidden: bool = False, **options) -> str:
    """A figure of a shown cell: `number`, but 'kan inte beräknas' where it has no value, so that
    `..` always means hidden (fewer than the minimum n, or protecting another cell)."""
    if hidden:
        return SUPPRESSED_MARK
    return NOT_CALCULABLE if missing(value) else number(value, unit, **options)


def change(value, unit: str = PERCENT, long: bool = False) -> str:
    """A change in percentage points ('5,8 p.e.', long: 'procentenheter') or rating steps
    ('0,45 skalsteg'), never in per cent; missing → '..'."""
    if missing(value):
        return SUPPRESSED_MARK
    text = number(value, unit, sign=False)
    if unit != PERCENT:
        return f"{text} skalsteg"
    return f"{text} {'procentenheter' if long else 'p.e.'}"


def target(value, unit: str, rule: str, polarity: str) -> str:
    """A suggested target as a manager reads it: '> 40,0 %' (better than the baseline: more, or
    less where lower is better), '≥ 40,0 %' (keep the level), else the value; no target → '..'."""
    if missing(value):
        return SUPPRESSED_MARK
    if rule == TARGET_RULE.BETTER_THAN_BASELINE:
        return f"{'>' if polarity == HIGHER else '<'} {number(value, unit)}"
    if rule == TARGET_RULE.KEEP:
        return f"{'≥' if polarity == HIGHER else '≤'} {number(value, unit)}"
    return number(value, unit)


def goal_note(rule: str, n, min_detectable_change, unit: str, quarters: int = 4, period: str | None = None) -> str:
    """What a manager must know about a goal row: that the baseline pools eight quarters (`quarters`
    8, `period` the latest window), and why a target is only 'better than the baseline' (the
    change that n per four quarters can detect, or that none can); '' when neither applies."""
    notes = []
    if quarters == 8 and period and not missing(n):
        notes.append(POOLED_NOTE.format(quarters=quarters_of(period, 8), n=count(n)))
    if rule == TARGET_RULE.BETTER_THAN_BASELINE and not missing(n):
        notes.append(NOTHING_DETECTABLE_NOTE.format(n=count(n)) if missing(min_detectable_change) else
                     OUT_OF_REACH_NOTE.format(n=count(n), change=change(min_detectable_change, unit, long=True)))
    return "; ".join(notes)
