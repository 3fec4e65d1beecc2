"""The keys of the cells room's tables built period by period (`uiv_core.period_state`): what a
period's rows are computed from, worked out without reading them.

A period's cells are sums of its quarters' follow-ups (a quarter; a year's loaded quarters; a
rolling window's four), and `indicators_state` keeps the fingerprint of each quarter's follow-ups
the stored `indicators` were computed from (`_fingerprint.sql`). So a period's key is a
fingerprint of those quarters' fingerprints, of the settings the indicators were computed with
(`indicator_settings`: min n, peer groups, catalogue), of the code of the room and the contract
(`cells_code`), and of what else the table's rows depend on (`extra`). A table whose rows also read
a trend over earlier quarters adds them (`trend_quarters`)."""

from __future__ import annotations

import functools

import duckdb

from uiv_core.fingerprints import combine, source_version
from uiv_core.quarters import window_quarters
from uiv_core.sql import query, table_exists


@functools.cache
def cells_code() -> str:
    """This room's code, the shared SQL, the quarters' arithmetic and the contract with its
    reference data (counties): a change to any of them rewrites every period."""
    return source_version("cells", "uiv_core/cells", "uiv_core/sql", "uiv_core/quarters.py",
                          "uiv_core/reference.py", "uiv_schema")


def period_keys(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, str]], table: str,
                trend_quarters: int = 0, extra: object = None) -> dict | None:
    """{(period, period type): key} for `table`'s periods; None when the indicators keep no state
    (a store made before it: the table is then written whole)."""
    if not (table_exists(con, "indicators_state") and table_exists(con, "indicator_settings")):
        return None
    inputs = con.execute(query("period_key_inputs")).fetchall()
    fingerprints = {quarter: fingerprint for quarter, fingerprint, _ in inputs}
    settings = inputs[0][2] if inputs else None
    keys = {}
    for period, kind in periods:
        if kind == "quarter":
            read = {period}
        elif kind == "year":
            read = {q for q in fingerprints if q.startswith(period)}
        else:
            read = set(window_quarters(period))
        if trend_quarters and kind != "year":
            read |= set(window_quarters(period, trend_quarters))
        keys[period, kind] = combine(table, cells_code(), settings, extra,
                                     sorted((q, fingerprints.get(q)) for q in read))
    return keys
