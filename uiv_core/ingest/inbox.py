"""Look at the inbox without touching the database: which export files are there, did they change,
which quarters do they hold. Used by the inbox sensor and the quarterly schedule, which must never
open the DuckDB file (one writer per file: a sensor holding it would block the run it starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from uiv_core.ingest.loading import inbox_files
from uiv_core.ingest.reading import RefusedFile, read_export
from uiv_core.ingest.staging import map_headers, staging_select
from uiv_core.sql import query


@dataclass(frozen=True)
class InboxFile:
    name: str
    mtime_ns: int
    size: int

    @property
    def stamp(self) -> str:
        """Changes when the file is touched or rewritten (cheap; the sha256 decides)."""
        return f"{self.mtime_ns}:{self.size}"


def list_inbox(inbox: Path) -> list[InboxFile]:
    """The inbox's export files in load order (modification time, then name)."""
    return [InboxFile(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in inbox_files(Path(inbox))]


def export_quarters(path: Path) -> list[str]:
    """The quarters (`2025Q3`) of the follow-up dates in an export, read in an in-memory DuckDB.
    Rows whose date cannot be read or lies in the future are left out (ingest quarantines them); a file that
    cannot be read at all gives [] (ingest will refuse it with the reason)."""
    con = duckdb.connect()
    try:
        raw = read_export(con, Path(path))
        headers = map_headers(raw.headers)
        if "followup_date" not in headers.canonical:
            return []
        rows = con.execute(query("export_quarters", staging_select=staging_select(raw, headers))).fetchall()
        return [quarter for (quarter,) in rows]
    except RefusedFile:
        return []
    finally:
        con.close()

