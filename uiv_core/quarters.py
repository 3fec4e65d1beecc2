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


def rolling_windows(quarters: list[str], length: int = 4) -> list[tuple[str, str]]:
    """(label, quarter) pairs: each label quarter L covers L-length+1 .. L. A window is formed
    only when all its quarters lie within the loaded range (first..last of `quarters`)."""
    if not quarters:
        return []
    first, last = min(quarters, key=quarter_index), max(quarters, key=quarter_index)
    labels = quarter_range(quarter_label(quarter_index(first) + length - 1), last)
    return [
        (label, quarter_label(quarter_index(label) - back))
        for label in labels
        for back in range(length)
    ]
