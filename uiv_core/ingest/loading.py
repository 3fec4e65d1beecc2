"""Take export files in: inspect (read, refuse, stage, validate) and store, one transaction a file.

`inspect_export` does everything short of writing (it is what `uiv check` runs);
`load_export` stores one inspected file; `ingest_inbox` loads the files of a folder in order of
modification time, then name.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from uiv_core.ingest.identity_numbers import find_identity_numbers
from uiv_core.ingest.reading import RawExport, RefusedFile, file_sha256, read_export
from uiv_core.sql import query, transaction
from uiv_core.ingest.staging import HeaderMap, map_headers, stage
from uiv_core.ingest.store import ensure_schema
from uiv_core.ingest.validation import FAILURES_TABLE, validate_staged
from uiv_core.ingest.errors import unreadable_message, write_error_log
from uiv_core.opening import bounded_memory
from uiv_schema.codes import AREAS
from uiv_schema.reasons import REASON_CODES, REFUSAL_IDENTITY_NUMBER, REFUSAL_UNREADABLE

EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls")


@dataclass
class Inspection:
    """An export read and validated, not stored. `failures`: line_number, reason, column, message."""

    raw: RawExport
    headers: HeaderMap
    staged_table: str
    failures: pd.DataFrame

    @property
    def rows_quarantined(self) -> int:
        return int(self.failures["line_number"].nunique())

    @property
    def rows_valid(self) -> int:
        return self.raw.rows_read - self.rows_quarantined

    def reason_counts(self) -> Counter:
        """Rows per reason code (a row with two reasons counts under both)."""
        pairs = self.failures[["line_number", "reason"]].drop_duplicates()
        return Counter(pairs["reason"].tolist())


@dataclass
class FileOutcome:
    """What happened to one file in a refresh: the load_files row, plus reasons for the summary."""

    file_name: str
    sha256: str
    status: str  # loaded / unchanged / refused
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_replaced: int = 0
    message: str = ""
    reasons: Counter = field(default_factory=Counter)
    quarters: list[str] = field(default_factory=list)
    seen_before: bool = False  # same name and content already in load_files: nothing written


def inspect_export(con: duckdb.DuckDBPyConnection, path: Path, load_date: dt.date) -> Inspection:
    """Read, refuse (identity numbers first, then missing columns), stage and validate `path`.

    Works in TEMP tables of `con` only; once staged, the raw table keeps only the rows that may
    go to quarantine. Raises RefusedFile.
    """
    raw = read_export(con, path)
    count, hits = find_identity_numbers(con, raw.table, raw.headers)
    if count:
        where = "; ".join(f"column {h.column}, line {h.line_number} ({h.form})" for h in hits)
        more = f" and {count - len(hits)} more" if count > len(hits) else ""
        raise RefusedFile(
            REFUSAL_IDENTITY_NUMBER,
            f"{count} value{'s' if count > 1 else ''} look{'' if count > 1 else 's'} like a Swedish "
            f"personal identity number: {where}{more}. Nothing from the file was stored; remove or "
            "pseudonymise the column and deliver the file again",
        )
    headers = map_headers(raw.headers)
    staged = stage(con, raw, headers, load_date.isoformat())
    con.execute(query("keep_quarantine_candidates", raw=raw.table, staged=staged))
    failures = validate_staged(con, staged)
    return Inspection(raw, headers, staged, failures)


def load_export(
    con: duckdb.DuckDBPyConnection, path: Path, sha256: str, loaded_at: dt.datetime,
    log_dir: Path | None = None,
) -> FileOutcome:
    """Inspect `path` and store it (or its refusal) in one transaction.

    Each file is its own failure domain: whatever goes wrong inside it (a reader or DuckDB
    error, memory, a bug) refuses this file as `unreadable` with a message a person can act on
    (the error's kind and line when known, never a value from the file), the traceback goes to
    a log file in `log_dir` with anything that looks like an identity number masked, and the
    caller goes on with the next file."""
    name = Path(path).name
    try:
        return _load_export(con, path, sha256, loaded_at)
    except RefusedFile as refusal:
        message = f"{refusal.code}: {refusal.message}"
    except Exception as error:  # noqa: BLE001 - one file must never stop the others
        message = f"{REFUSAL_UNREADABLE}: {unreadable_message(error, write_error_log(log_dir, name, error))}"
    _insert_load_file(con, name, sha256, loaded_at, "refused", message=message)
    return FileOutcome(name, sha256, "refused", message=message)


def _load_export(con: duckdb.DuckDBPyConnection, path: Path, sha256: str, loaded_at: dt.datetime) -> FileOutcome:
    name = Path(path).name
    inspection = inspect_export(con, path, loaded_at.date())

    raw = inspection.raw
    params = {"file": name, "sha256": sha256, "loaded_at": loaded_at}
    tables = {"staged": inspection.staged_table, "failures": FAILURES_TABLE}
    con.execute(query("incoming", areas=AREAS, **tables))
    loaded, replaced = con.execute(query("incoming_counts")).fetchone()
    # its rows' quarters and those of the versions it replaces
    quarters = [q for (q,) in con.execute(query("incoming_quarters")).fetchall()]
    quarantined = inspection.rows_quarantined
    notes = list(raw.notes)
    if inspection.headers.extra:
        notes.append("unknown columns kept in extra_columns: " + short_list(inspection.headers.extra))
    if replaced:
        notes.append(f"{replaced} stored follow-ups replaced by this delivery (old versions in history)")
    message = "; ".join(notes)
    try:
        with transaction(con):
            con.execute(query("archive_replaced_followups"), params)  # old versions → history
            con.execute(query("delete_replaced_followups"))  # then swap in the new versions
            con.execute(query("insert_followups"), params)
            con.execute(query("insert_quarantine", raw=raw.table, headers=raw.headers, **tables),
                        {**params, "reasons": list(REASON_CODES)})
            _insert_load_file(
                con, name, sha256, loaded_at, "loaded", raw=raw, rows=(raw.rows_read, loaded, quarantined),
                replaced=replaced, quarters=quarters, extra=inspection.headers.extra, message=message,
            )
    finally:
        con.execute(query("drop_view", view="incoming"))
    return FileOutcome(
        name, sha256, "loaded", raw.rows_read, loaded, quarantined, replaced, message,
        inspection.reason_counts(), quarters,
    )


def _insert_load_file(
    con, name, sha256, loaded_at, status, *, raw: RawExport | None = None, rows=(0, 0, 0),
    replaced=0, quarters=None, extra=None, message="",
) -> None:
    rows_read, rows_loaded, rows_quarantined = rows
    con.execute(query("insert_load_file"), {
        "file": name, "sha256": sha256, "loaded_at": loaded_at, "status": status,
        "file_format": raw.file_format if raw else None, "encoding": raw.encoding if raw else None,
        "delimiter": raw.delimiter if raw else None, "rows_read": rows_read, "rows_loaded": rows_loaded,
        "rows_quarantined": rows_quarantined, "rows_replaced": replaced, "quarters": quarters or [],
        "extra_columns": extra or [], "message": message,
    })


def inbox_files(inbox: Path) -> list[Path]:
    """Export files of `inbox` in load order: modification time, then name. Hidden files skipped."""
    files = [
        p for p in Path(inbox).iterdir()
        if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in EXPORT_SUFFIXES
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    loaded_at: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    log_dir: Path | None = None,
) -> list[FileOutcome]:
    """Load every new file of `inbox` into the store behind `con`, in load order."""
    ensure_schema(con)
    if loaded_at is None:
        loaded_at = dt.datetime.now().replace(microsecond=0)
        (latest,) = con.execute(query("run_stamp")).fetchall()[0]
        if latest is not None and loaded_at <= latest:
            # two ingests within one second (or a clock set back) stay two ingests: "the latest
            # ingest" (its refused files, its run stamp) must never mix in an earlier one
            loaded_at = latest + dt.timedelta(seconds=1)
    progress = progress or (lambda text: print(text, file=sys.stderr))
    outcomes: list[FileOutcome] = []
    files = inbox_files(inbox)
    with bounded_memory(con):  # a large export spills to disk instead of growing in memory
        for number, path in enumerate(files, start=1):
            sha256 = file_sha256(path)
            outcome = _previous_outcome(con, path.name, sha256, loaded_at)
            if outcome is None:
                progress(f"[{number}/{len(files)}] loading {path.name} ...")
                outcome = load_export(con, path, sha256, loaded_at, log_dir)
            progress(f"[{number}/{len(files)}] {path.name}: {describe(outcome)}")
            outcomes.append(outcome)
    return outcomes


def _previous_outcome(con, name: str, sha256: str, loaded_at: dt.datetime) -> FileOutcome | None:
    """None when the file must be loaded; else its outcome without loading anything."""
    same = con.execute(query("previous_load"), {"sha256": sha256, "file": name}).fetchone()
    if same:
        return FileOutcome(name, sha256, "unchanged" if same[0] != "refused" else "refused",
                           message=same[1] or "", seen_before=True)
    earlier = con.execute(query("earlier_copy"), {"sha256": sha256}).fetchone()
    if earlier is None:
        return None
    message = f"same content as {earlier[0]}, loaded {earlier[1]:%Y-%m-%d %H:%M}: nothing to do"
    _insert_load_file(con, name, sha256, loaded_at, "unchanged", message=message)
    return FileOutcome(name, sha256, "unchanged", message=message)


def short_list(names: list[str], limit: int = 10) -> str:
    """`a, b, c` or, for many names, the first `limit` and how many more."""
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def describe(outcome: FileOutcome) -> str:
    if outcome.status == "refused":
        return f"REFUSED: {outcome.message}"
    if outcome.status == "unchanged":
        return "unchanged (already loaded)"
    text = f"{outcome.rows_loaded} rows loaded, {outcome.rows_quarantined} quarantined"
    if outcome.rows_replaced:
        text += f", {outcome.rows_replaced} replaced earlier versions"
    return text
