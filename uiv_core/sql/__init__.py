"""The named SQL statements (`query`) and small helpers shared by the modules that run them:
identifiers, registered frames, transactions. The shared statements lie beside this file; each
room (`ingest`, `cells`, `publish`) keeps its own in its `sql/` folder."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import jinja2
import pandas as pd

from uiv_schema.results import RESULT_CODES


def quote_identifier(name: str) -> str:
    """A column or table name for SQL: double-quoted, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """A code of `uiv_schema` as an SQL string literal: single-quoted, inner quotes doubled. Only
    for the contract's own constants in templates; values from data go in as parameters."""
    return "'" + str(value).replace("'", "''") + "'"


def temp_table_from_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """(Re)create TEMP table `name` holding `frame` (a copy: the frame can go away)."""
    view = f"_uiv_frame_{name}"
    con.register(view, frame)
    try:
        con.execute(query("temp_table_from_view", table=name, view=view))
    finally:
        con.unregister(view)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """A stored (not TEMP) table `name` exists (a view of that name does not count)."""
    return bool(con.execute(query("table_exists"), {"table": name}).fetchall()[0][0])


def drop_stored_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the stored table `name` if there is one: a store made before `name` became a view."""
    if table_exists(con, name):
        con.execute(query("drop_table", table=name))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT when the block ends; ROLLBACK (and re-raise) when it fails."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


_PACKAGE = Path(__file__).resolve().parent.parent
#: where the statements live: the shared ones beside this loader, each room's in its `sql/`
#: folder (a name is unique across them; tests/test_sql_files.py checks it)
FOLDERS = (_PACKAGE / "sql", _PACKAGE / "ingest" / "sql", _PACKAGE / "cells" / "sql", _PACKAGE / "publish" / "sql")

#: the SQL files are Jinja2 templates where a part must be generated (column lists from the
#: catalogue, an identifier); values always go in as parameters. A name starting with `_` is a
#: fragment for `{% include %}`, not a statement.
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDERS), undefined=jinja2.StrictUndefined,
                                autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_TEMPLATES.filters["ident"] = quote_identifier
_TEMPLATES.filters["literal"] = quote_literal
#: the stored result codes (uiv_schema.results), so that no statement spells one itself
_TEMPLATES.globals["result"] = RESULT_CODES


def query(name: str, **parts) -> str:
    """The statement of `<name>.sql` (in one of `FOLDERS`), its generated `parts` filled in (one
    statement; values go in as parameters, never through `parts`)."""
    return _TEMPLATES.get_template(f"{name}.sql").render(**parts)
