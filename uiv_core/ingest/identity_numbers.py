"""Find Swedish personal identity numbers (personnummer, samordningsnummer) in an export.

A value "looks like" an identity number when it contains, not inside a longer run of digits,
one of the contract's forms `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYYYMMDD-NNNN` or `YYYYMMDDNNNN`
whose date is a real date (or a coordination number: day + 60, i.e. 61-91) and whose ten
digits YYMMDDNNNN pass the Luhn check. A bare ten-digit `YYMMDDNNNN` is not one of the
contract's forms (pseudonymous ids are often ten digits), so it is not flagged.

The scan runs in DuckDB (a regular expression over the cells of every column that holds a cell
of 11 characters or more); only candidates are checked in Python. Nothing here ever returns or
prints the value itself.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import duckdb

from uiv_core.sql import query

# RE2 (DuckDB) has no look-behind, so the digit boundaries are matched as (^|\D) ... (\D|$).
_SQL_PATTERN = r"(^|[^0-9])([0-9]{6}|[0-9]{8})[-+][0-9]{4}([^0-9]|$)|(^|[^0-9])[0-9]{12}([^0-9]|$)"
_PY_PATTERN = re.compile(
    r"(?<![0-9])(?:(?P<short>[0-9]{6})[-+](?P<short_tail>[0-9]{4})"
    r"|(?P<long>[0-9]{8})[-+]?(?P<long_tail>[0-9]{4}))(?![0-9])"
)


#: the shortest text the SQL pattern can match (YYMMDD-NNNN)
_SHORTEST = 11


#: anything shaped like an identity number, valid or not (also ten digits in a row): masked in logs
_ANY_SHAPE = re.compile(r"(?<![0-9])(?:[0-9]{6}|[0-9]{8})[-+]?[0-9]{4}(?![0-9])")


def mask_identity_numbers(text: str) -> str:
    """`text` with everything shaped like a personal identity number replaced by `<dolt>`."""
    return _ANY_SHAPE.sub("<dolt>", text)


@dataclass(frozen=True)
class IdentityNumberHit:
    column: str
    line_number: int
    form: str  # e.g. "YYYYMMDD-NNNN"; never the value


def luhn_valid(digits: str) -> bool:
    """The Luhn check of the Swedish identity number (over the ten digits YYMMDDNNNN)."""
    total = 0
    for i, char in enumerate(digits):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _valid_date(year: int | None, yy: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    if 61 <= day <= 91:  # coordination number (samordningsnummer)
        day -= 60
    years = [year] if year is not None else [1900 + yy, 2000 + yy]
    return any(1 <= day <= calendar.monthrange(y, month)[1] for y in years)


def identity_number_form(text: str) -> str | None:
    """The form of the first identity number found in `text`, or None."""
    for match in _PY_PATTERN.finditer(text):
        if match.group("short"):
            date, tail, year = match.group("short"), match.group("short_tail"), None
            sep = text[match.start() + 6]
            form = f"YYMMDD{sep}NNNN"
        else:
            full, tail = match.group("long"), match.group("long_tail")
            year, date = int(full[:4]), full[2:]
            form = "YYYYMMDD-NNNN" if "-" in match.group(0) else (
                "YYYYMMDD+NNNN" if "+" in match.group(0) else "YYYYMMDDNNNN"
            )
        yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:6])
        if _valid_date(year, yy, month, day) and luhn_valid(date + tail):
            return form
    return None


def long_cell_columns(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> list[str]:
    """The `columns` that may hold a cell long enough for an identity number. DuckDB's statistics
    bound each column's longest cell (in bytes, never fewer than its characters) without reading
    a row; a column without that figure has its cells' lengths read (3 s for 10 M rows)."""
    found = con.execute(query("column_statistics", table=table, columns=columns)).fetchall()
    if not found:  # no rows
        return []
    statistics = found[0]
    bounds = {c: s.get("max_string_length") if isinstance(s, dict) else None for c, s in zip(columns, statistics)}
    unknown = [c for c, bound in bounds.items() if not isinstance(bound, int)]
    if unknown:
        (longest,) = con.execute(query("long_cell_columns", table=table, columns=unknown)).fetchall()
        bounds.update(zip(unknown, longest))
    return [c for c in columns if bounds[c] is not None and bounds[c] >= _SHORTEST]


def find_identity_numbers(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], limit: int = 5
) -> tuple[int, list[IdentityNumberHit]]:
    """Count cells (and headers) holding an identity number; return (count, first `limit` hits).

    A header is reported as column "<i> (the header itself)", line 1 (the header names themselves may be
    the data: never echoed)."""
    if not columns:
        return 0, []
    searched = long_cell_columns(con, table, columns)
    candidates = con.execute(
        query("identity_number_candidates", table=table, columns=searched), {"pattern": _SQL_PATTERN}
    ).fetchall() if searched else []
    count = 0
    hits: list[IdentityNumberHit] = []
    header_hits = [(f"{i} (the header itself)", 1, h) for i, h in enumerate(columns, start=1)]
    for column, line_number, cell in header_hits + candidates:
        form = identity_number_form(cell)
        if form is None:
            continue
        count += 1
        if len(hits) < limit:
            hits.append(IdentityNumberHit(column, int(line_number), form))
    return count, hits
