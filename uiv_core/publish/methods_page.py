"""The figures of metod.html, the methods page for managers: every number on it comes from the
published tables of the current run (never hard-coded), formatted as the other pages format
them. The words are in `templates/methods.html`; the developer's methods text stays in
`docs/methods.md`.
"""

from __future__ import annotations

import duckdb

from uiv_core.publish import swedish
from uiv_core.sql import query
from uiv_schema.indicators import FOLLOWUPS_INDICATOR, INDICATOR_BY_ID
from uiv_schema.labels import AREA_LABELS, TARGET_GROUP_LABELS

#: the indicator the page's examples use
EXAMPLE_INDICATOR = "improved_share.missbruk"


def method_figures(con: duckdb.DuckDBPyConnection, period: str | None, min_n: int) -> dict:
    """The formatted figures of the page; `available` is False before a rolling window exists."""
    base = {"min_n": min_n, "example": INDICATOR_BY_ID[EXAMPLE_INDICATOR].name_sv.lower(),
            "areas": [AREA_LABELS[a] for a in AREA_LABELS], "groups": list(TARGET_GROUP_LABELS.values())[1:]}
    if period is None:
        return base | {"available": False}
    result = con.execute(query("methods_figures"), {"period": period, "indicator": EXAMPLE_INDICATOR,
                                                        "followups": FOLLOWUPS_INDICATOR})
    row = dict(zip([d[0] for d in result.description], result.fetchall()[0]))
    return base | {
        "available": True,
        "period": swedish.period_in_sentence(period),
        "followups": swedish.count(row["followups"]),
        "value": swedish.number(row["value"]),
        "interval": swedish.interval(row["low"], row["high"]),
        "municipalities": swedish.count(row["municipalities"]),
        "with_value": swedish.count(row["with_value"]),
        "best_quartile": None if swedish.missing(row["best_quartile"]) else swedish.number(row["best_quartile"]),
        "small": None if swedish.missing(row["small_n"]) else {
            "n": swedish.count(row["small_n"]), "change": swedish.change(row["small_change"], long=True)},
        "large": None if swedish.missing(row["large_n"]) else {
            "n": swedish.count(row["large_n"]), "change": swedish.change(row["large_change"], long=True)},
        "primary": swedish.count(row["primary_cells"]), "secondary": swedish.count(row["secondary_cells"]),
        "cells": swedish.count(row["cells"]),
    }
