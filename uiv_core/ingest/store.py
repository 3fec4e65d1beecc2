"""The ingest tables in DuckDB (their DDL: uiv_core/*/sql/create_*.sql).

Tables (documented column by column in docs/tables.md):
- load_files: one row per file taken in (loaded, unchanged or refused), with counts and message;
- followups: the current version of each (municipality_code, record_id), typed;
- followups_history: versions replaced by a later delivery;
- quarantine: rows that broke the contract, with reasons, messages and the raw row as JSON.
"""

from __future__ import annotations

import duckdb

from uiv_core.sql import query
from uiv_schema.codes import AREAS

#: the statements (uiv_core/*/sql/) that create the store's tables when missing
SCHEMA = ("create_load_files", "create_followups", "create_followups_history", "create_quarantine")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in SCHEMA:
        con.execute(query(statement, areas=AREAS))


def run_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """The one documented timestamp in published files: the time of the latest load."""
    import datetime as dt

    (stamp,) = con.execute(query("run_stamp")).fetchall()[0]
    return (stamp or dt.datetime(1970, 1, 1)).strftime("%Y-%m-%d %H:%M")
