"""The municipality page's table of case-mix adjusted cells: for each target group, every shown
adjusted cell of the latest rolling window beside its crude value and comparison ("Justerat för
ålder, kön, målgrupp och huvuddrog: 0,92 (0,84–1,01) av förväntat"). Reads `published_adjusted`,
`published_indicators` and `published_comparisons` only."""

from __future__ import annotations

import duckdb

from uiv_core.publish import swedish
from uiv_core.publish.profile import significance_cell, table
from uiv_core.sql import query
from uiv_schema.indicators import ADJUSTED_INDICATORS, INDICATOR_BY_ID, PERCENT
from uiv_schema.labels import REPORT_LABELS

_ORDER = {i.id: n for n, i in enumerate(ADJUSTED_INDICATORS)}


def adjusted_cells(con: duckdb.DuckDBPyConnection, period: str | None) -> dict[tuple[str, str], list]:
    """(municipality, target group) → its shown adjusted cells of rolling window `period`, in
    catalogue order."""
    if period is None:
        return {}
    grouped: dict[tuple[str, str], list] = {}
    for row in con.execute(query("report_adjusted_cells"), {"period": period}).fetchdf().itertuples(index=False):
        grouped.setdefault((row.unit_code, row.target_group), []).append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: _ORDER[r.indicator_id])
    return grouped


def adjusted_table(rows: list) -> str:
    """The HTML table of one municipality and target group; '' when nothing is shown."""
    if not rows:
        return ""
    body = [[(INDICATOR_BY_ID[r.indicator_id].name_sv, ""), (swedish.number(r.crude_value, PERCENT), "num"),
             significance_cell(r.crude_significance),
             (swedish.ratio(r.ratio, r.ratio_ci95_low, r.ratio_ci95_high), "num"),
             (swedish.number(r.value, PERCENT), "num"), significance_cell(r.significance)] for r in rows]
    return table(list(REPORT_LABELS["adjusted_headers"]), body)
