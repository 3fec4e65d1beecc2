"""Quarter labels (`2025Q3`) and the period windows built from them."""

from __future__ import annotations


def quarter_index(label: str) -> int:
    """`2025Q3` → 2025·4 + 2: consecutive quarters have consecutive indexes."""
    year, quarter = label.split("Q")
    return int(year) * 4 + int(quarter) - 1


def quarter_label(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def quarter_range(first: str, last: str) -> list[str]:
    return [quarter_label(i) for i in range(quarter_index(first), quarter_index(last) + 1)]


def window_quarters(label: str, length: int = 4) -> list[str]:
    """The quarters of the rolling window labelled `label`: `2026Q1` → 2025Q2, 2025Q3, 2025Q4, 2026Q1
    (latest first)."""
    return [quarter_label(quarter_index(label) - back) for back in range(length)]


def rolling_windows(quarters: list[str], length: int = 4) -> list[tuple[str, str]]:
    """(label, quarter) pairs: each label quarter L covers L-length+1 .. L. A window is formed
    only when all its quarters lie within the loaded range (first..last of `quarters`)."""
    if not quarters:
        return []
    first, last = min(quarters, key=quarter_index), max(quarters, key=quarter_index)
    labels = quarter_range(quarter_label(quarter_index(first) + length - 1), last)
    return [(label, quarter) for label in labels for quarter in window_quarters(label, length)]


def affected_periods(changed: list[str], loaded: list[str],
                     present_rolling: list[str] = ()) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Which (period_type, period) cells a change to the `changed` quarters touches.

    `loaded`: every quarter with follow-ups now; `present_rolling`: rolling labels stored now.
    Returns (recompute, stale): recompute = each changed quarter, its calendar year, and every valid
    rolling label whose window holds a changed quarter or which is valid but not stored yet;
    stale = stored rolling labels that are no longer valid (to delete).
    """
    changed_set = set(changed)
    valid = sorted({label for label, _ in rolling_windows(list(loaded))}, key=quarter_index)
    windows = {label: set(window_quarters(label)) for label in valid}
    rolling = [label for label in valid if windows[label] & changed_set or label not in set(present_rolling)]
    recompute = sorted(
        {("quarter", q) for q in changed_set}
        | {("year", q[:4]) for q in changed_set}
        | {("rolling4q", label) for label in rolling},
    )
    stale = sorted(("rolling4q", label) for label in set(present_rolling) - set(valid))
    return recompute, stale


def quarters_needed(periods: list[tuple[str, str]], loaded: list[str]) -> list[str]:
    """The loaded quarters the given periods are summed from."""
    needed: set[str] = set()
    for period_type, period in periods:
        if period_type == "quarter":
            needed.add(period)
        elif period_type == "year":
            needed |= {q for q in loaded if q.startswith(period)}
        else:
            needed |= set(window_quarters(period))
    return sorted(needed & set(loaded), key=quarter_index)


def period_groups(periods: list[tuple[str, str, int]], cells: int) -> list[list[str]]:
    """(period, period type, cells) in their order, as groups of 'period period_type' texts for a
    whole-table statement run group by group: one group when they hold at most `cells` cells in
    all (a small store is written by one statement, as compactly as possible: each insert packs
    its own blocks), else one group per period (a large store's statement holds one period's
    cells at a time)."""
    texts = [f"{period} {period_type}" for period, period_type, _ in periods]
    if sum(n for _, _, n in periods) <= cells:
        return [texts] if texts else []
    return [[text] for text in texts]
