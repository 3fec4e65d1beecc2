"""Small helpers shared by the modules that build SQL: identifiers, registered frames, transactions."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import jinja2
import pandas as pd


def quote_identifier(name: str) -> str:
    """A column or table name for SQL: double-quoted, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def temp_table_from_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """(Re)create TEMP table `name` holding `frame` (a copy: the frame can go away)."""
    view = f"_uiv_frame_{name}"
    con.register(view, frame)
    try:
        con.execute(query("temp_table_from_view", table=name, view=view))
    finally:
        con.unregister(view)


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


_QUERIES = Path(__file__).resolve().parent / "queries"

#: the SQL files are Jinja2 templates where a part must be generated (column lists from the
#: catalogue, an identifier); values always go in as parameters. A name starting with `_` is a
#: fragment for `{% include %}`, not a statement.
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(_QUERIES), undefined=jinja2.StrictUndefined,
                                autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_TEMPLATES.filters["ident"] = quote_identifier


def query(name: str, **parts) -> str:
    """The statement of `uiv_core/queries/<name>.sql`, its generated `parts` filled in (one
    statement; values go in as parameters, never through `parts`)."""
    return _TEMPLATES.get_template(f"{name}.sql").render(**parts)
