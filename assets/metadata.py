"""Metadata every asset reports the same way: a stored table's column schema, a file as a link,
and a description that says in Swedish first what the asset is (uiv_schema.labels)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from uiv_core.sql import query
from uiv_schema.labels import COCKPIT_DESCRIPTIONS


def describe(name: str, technical: str) -> str:
    """The Swedish sentence for `name`, then the technical detail (Markdown in the UI)."""
    return f"{COCKPIT_DESCRIPTIONS[name]}\n\n{technical}"


def column_schema(con: duckdb.DuckDBPyConnection, *tables: str) -> dict[str, dg.TableSchema]:
    """{table name: its column schema} of the stored tables, as DuckDB has them."""
    return {table: dg.TableSchema(columns=[
        dg.TableColumn(name, str(data_type), description=comment or None)
        for name, data_type, comment in con.execute(query("table_column_types"), {"table": table}).fetchall()])
        for table in tables}


def file_link(path: Path) -> dict[str, dg.MetadataValue]:
    """A written file as an absolute path and a file:// link the UI makes clickable."""
    path = Path(path).resolve()
    return {"path": dg.MetadataValue.path(str(path)), "link": dg.MetadataValue.url(path.as_uri())}
