"""Read one export file (CSV or XLSX) into a DuckDB table of text cells with line numbers.

CSV: encoding (UTF-8, UTF-8 with BOM, Windows-1252) and delimiter (`;`, `,`, tab) are detected,
then DuckDB's `read_csv` reads the file with every cell as text. XLSX: openpyxl reads the first
sheet. Either way the result is a table `line_number, <original headers...>` in the given DuckDB
connection (a TEMP table: nothing is written to a database file here).

Line numbers are the file's physical line (CSV, header = line 1; blank lines are skipped but
counted; a quoted field spanning lines counts all its lines) or the sheet's row number (XLSX).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from uiv_core.ingest.csv_scan import CHUNK, scan_csv
from uiv_core.ingest.errors import RefusedFile
from uiv_core.sql import query, temp_table_from_frame
from uiv_schema.columns import canonical_column, normalise_header
from uiv_schema.reasons import REFUSAL_UNREADABLE

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab"}


@dataclass
class RawExport:
    """A file read into `table` (columns: line_number, then the file's headers, all text)."""

    path: Path
    table: str
    file_format: str  # "csv" or "xlsx"
    headers: list[str]
    rows_read: int
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_export(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_export") -> RawExport:
    """Read `path` into the TEMP table `table` of `con`. Raises RefusedFile."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix == ".xlsx":
        return _read_xlsx(con, path, table)
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise RefusedFile(
            REFUSAL_UNREADABLE,
            "old Excel format (.xls) is not supported: save the sheet as .xlsx or CSV",
        )
    return _read_csv(con, path, table)


# --- CSV -------------------------------------------------------------------------------------


def detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line most often (`;` wins ties)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        raise RefusedFile(
            REFUSAL_UNREADABLE,
            "no delimiter (; , or tab) found in the header line: is this a UTF-8/Windows-1252 CSV?",
        )
    return best


def _transcode_to_utf8(path: Path, encoding: str, cr_only: bool = False) -> Path:
    """A UTF-8 copy of `path` (temporary file), CR line ends turned into LF when `cr_only`."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="uiv_transcoded_")
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as source, os.fdopen(handle, "w", encoding="utf-8", newline="") as target:
        while chunk := source.read(CHUNK):
            text = decoder.decode(chunk)
            target.write(text.replace("\r", "\n") if cr_only else text)
        target.write(decoder.decode(b"", final=True))
    return Path(name)


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawExport:
    scan = scan_csv(path)
    delimiter = detect_delimiter(scan.header_line)
    file_headers = next(csv.reader([scan.header_line], delimiter=delimiter))
    refuse_repeated_headers(file_headers)
    rewrite = scan.encoding == "cp1252" or scan.cr_only
    source = _transcode_to_utf8(path, scan.encoding, scan.cr_only) if rewrite else path
    try:
        _duckdb_read_csv(con, source, table, delimiter)
    finally:
        if source != path:
            source.unlink(missing_ok=True)
    headers = _table_columns(con, table)
    ((rows_read,),) = con.execute(query("count_rows", table=table)).fetchall()
    rows_are_lines = scan.rows_are_lines(rows_read)
    _number_csv_lines(con, table, headers, scan.blank_lines, rows_are_lines)
    headers = _drop_surplus_fields(con, table, headers, len(file_headers))
    rows = _drop_blank_rows(con, table, headers)
    return RawExport(path, table, "csv", headers, rows, scan.encoding, delimiter)


def refuse_repeated_headers(headers: list[str]) -> None:
    """Two columns with the same header (after trimming and case) make the file ambiguous."""
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = normalise_header(header)
        if key and key in seen:
            raise RefusedFile(
                REFUSAL_UNREADABLE,
                f"the header {header.strip()!r} appears twice (columns {seen[key]} and {position}): "
                "keep one",
            )
        seen[key] = position


def _drop_surplus_fields(con, table: str, headers: list[str], width: int) -> list[str]:
    """Fields beyond the header: refuse when any holds a value, else drop the empty columns."""
    surplus = headers[width:]
    if not surplus:
        return headers
    lines = [n for (n,) in con.execute(query("surplus_field_lines", table=table, columns=surplus)).fetchall()]
    if lines:
        raise RefusedFile(
            REFUSAL_UNREADABLE,
            f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))} ha"
            f"{'ve' if len(lines) > 1 else 's'} more fields than the header ({width}): a delimiter "
            "inside a value must be quoted",
        )
    for column in surplus:
        con.execute(query("drop_column", table=table, column=column))
    return headers[:width]


def _drop_blank_rows(con, table: str, headers: list[str]) -> int:
    """Rows with no value at all (e.g. `;;;;` or spaces) are not rows; returns the rows left."""
    con.execute(query("delete_blank_rows", table=table, columns=headers))
    return con.execute(query("count_rows", table=table)).fetchone()[0]


def _duckdb_read_csv(con, source: Path, table: str, delimiter: str) -> None:
    error = None
    for parallel in (True, False):  # quoted newlines with ragged rows need the serial reader
        try:
            con.execute(query("read_csv_text", table=table, parallel=parallel),
                        {"source": str(source), "delimiter": delimiter})
            return
        except duckdb.Error as exc:
            error = exc
    match = re.search(r"[Ll]ine:? (\d+)", str(error))
    where = f" near line {match.group(1)}" if match else ""
    # DuckDB's message quotes the offending line; it is not passed on (it may hold personal data).
    raise RefusedFile(
        REFUSAL_UNREADABLE,
        f"the file cannot be read as a table{where} ({type(error).__name__}): check quoting and "
        "the number of fields on that line",
    )


def _number_csv_lines(con, table: str, headers: list[str], blank_lines: list[int],
                      rows_are_lines: bool = False) -> None:
    """Add line_number: header is line 1; count quoted line breaks and skipped blank lines.
    `rows_are_lines`: the scan's line count already shows there is no quoted line break (the
    cells are then not searched for one, nor counted: 6 s at 10 M rows)."""
    parts = {"table": table, "columns": headers}
    has_embedded = not rows_are_lines and con.execute(query("has_line_breaks", **parts)).fetchone()[0]
    if not has_embedded and not blank_lines:
        con.execute(query("add_line_number", table=table))
        con.execute(query("number_lines_by_row", table=table))
    else:
        # k = index of the row's first line among the non-blank lines (header = 0)
        if rows_are_lines:  # no quoted line break before any row
            ((rows,),) = con.execute(query("count_rows", table=table)).fetchall()
            breaks = np.zeros(rows, dtype=np.int64)
        else:
            breaks = np.asarray(next(iter(con.execute(query("line_breaks_before", **parts)).fetchnumpy().values())),
                                dtype=np.int64)
        k = np.arange(len(breaks), dtype=np.int64) + 1 + breaks
        blanks = np.asarray(sorted(blank_lines), dtype=np.int64)
        nonblank_before_blank = blanks - 1 - np.arange(len(blanks))
        lines = k + 1 + np.searchsorted(nonblank_before_blank, k, side="right")
        numbers = pd.DataFrame({"ordinal": np.arange(len(k)), "line_number": lines})
        temp_table_from_frame(con, "uiv_line_numbers", numbers)
        con.execute(query("add_line_number", table=table))
        con.execute(query("number_lines_from_list", table=table))
        con.execute(query("drop_table", table="uiv_line_numbers"))


def _table_columns(con, table: str) -> list[str]:
    return [row[0] for row in con.execute(query("table_columns"), {"table": table}).fetchall()]


# --- XLSX ------------------------------------------------------------------------------------


def cell_text(value) -> str | None:
    """An XLSX cell as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _read_xlsx(con, path: Path, table: str) -> RawExport:
    import openpyxl  # imported here: only XLSX files need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken archive
        raise RefusedFile(
            REFUSAL_UNREADABLE, f"the file cannot be opened as an XLSX workbook ({type(error).__name__})"
        ) from None
    try:
        sheet, skipped, rows = _data_sheet(workbook)
        header_row = next(rows, None)
        if header_row is None or all(v is None for v in header_row):
            raise RefusedFile(REFUSAL_UNREADABLE, "the first sheet is empty or its first row is blank")
        file_headers = [cell_text(v) or "" for v in header_row]
        while file_headers and not file_headers[-1].strip():  # the sheet's width is not the table's
            file_headers.pop()
        refuse_repeated_headers(file_headers)
        headers = _unique_headers(file_headers)
        width = len(headers)
        columns: list[list] = [[] for _ in range(width)]
        line_numbers: list[int] = []
        surplus: list[int] = []
        for line_number, row in enumerate(rows, start=skipped + 2):
            texts = [cell_text(v) for v in row[:width]]
            if any(cell_text(v) is not None for v in row[width:]):
                surplus.append(line_number)
            if all(t is None for t in texts):
                continue
            line_numbers.append(line_number)
            for i in range(width):
                columns[i].append(texts[i] if i < len(texts) else None)
    finally:
        workbook.close()
    if surplus:
        raise RefusedFile(
            REFUSAL_UNREADABLE,
            f"row{'s' if len(surplus) > 1 else ''} {', '.join(map(str, surplus[:5]))} "
            f"ha{'ve' if len(surplus) > 1 else 's'} values to the right of the last header ({width} columns)",
        )
    frame = pd.DataFrame({"line_number": pd.Series(line_numbers, dtype="int64")})
    for header, values in zip(headers, columns):
        frame[header] = pd.Series(values, dtype="str")
    temp_table_from_frame(con, table, frame)
    notes = []
    if sheet.title != workbook.sheetnames[0] or skipped:
        notes.append(f"data read from sheet {sheet.title!r}" + (f", header on row {skipped + 1}" if skipped else ""))
    return RawExport(path, table, "xlsx", headers, len(line_numbers), notes=notes)


_HEADER_SEARCH_ROWS = 20


def _data_sheet(workbook):
    """(sheet, rows above its header, an iterator from the header row on): the first sheet whose
    first rows hold a row with at least three of the contract's headers (title rows above a
    table and a cover sheet before it are common in exports); else the first sheet as it is."""
    for sheet in workbook.worksheets:
        head = []
        for row in sheet.iter_rows(values_only=True, max_row=_HEADER_SEARCH_ROWS):
            head.append(row)
        for skipped, row in enumerate(head):
            known = sum(canonical_column(cell_text(v) or "") is not None for v in row)
            if known >= 3:
                return sheet, skipped, sheet.iter_rows(values_only=True, min_row=skipped + 1)
    first = workbook.worksheets[0]
    return first, 0, first.iter_rows(values_only=True)


def _unique_headers(headers: list[str]) -> list[str]:
    """Blank headers become column<i> (as DuckDB names them); repeated ones were refused."""
    seen: dict[str, int] = {}
    result = []
    for i, header in enumerate(headers):
        name = header.strip() or f"column{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        result.append(name)
    return result
