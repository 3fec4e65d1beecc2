"""Content fingerprints of the store's tables: short strings that change exactly when the content
does. Dagster records them as data versions, so that the UI marks as stale only what an upstream
change reached, and the inbox sensor knows which file contents the store has seen already."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from uiv_core.sql import query


def combine(*parts: object) -> str:
    """One short fingerprint of several (fingerprints, settings, versions)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]



def table_fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The whole table, independent of row order."""
    return combine(table, *con.execute(query("table_fingerprint", table=table)).fetchall()[0])


def followups_fingerprint(con: duckdb.DuckDBPyConnection, quarters: list[str] | None) -> str:
    """The follow-ups of `quarters` (None: all): which records, from which file and line."""
    wanted = sorted(quarters) if quarters is not None else None
    return combine(wanted, *con.execute(query("followups_fingerprint"), {"quarters": wanted}).fetchall()[0])


def loaded_files_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The files that changed the follow-ups, in load order (follow-ups, history and quarantine
    follow from it)."""
    return combine([sha for (sha,) in con.execute(query("loaded_files_sequence")).fetchall()])


def seen_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{sha256: latest status} of every file content the store has taken in."""
    return dict(con.execute(query("store_fingerprints")).fetchall())


def seen_files_fingerprint(seen: dict[str, str]) -> str:
    return combine(sorted(seen.items()))


_PACKAGES = Path(__file__).resolve().parent.parent


def source_version(label: str, *parts: str) -> str:
    """`label`+ a fingerprint of the source files (Python, SQL, templates, reference CSV) under `parts` (paths
    relative to the project's packages, e.g. "uiv_core/cells"): a Dagster code version that
    changes whenever the logic does, without anyone remembering to bump it."""
    digest = hashlib.sha256()
    for part in parts:
        root = _PACKAGES / part
        if not root.exists():  # e.g. requirements.lock beside an installed package: not part of it
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()
                                                   and p.suffix in (".py", ".sql", ".html", ".css", ".md", ".csv"))
        for path in files:
            digest.update(path.relative_to(_PACKAGES).as_posix().encode())
            digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return f"{label}+{digest.hexdigest()[:12]}"


def store_identity(database: str | Path) -> str:
    """Which store file this is (device and inode): the same path holding a new store (deleted and
    made again, or replaced by a copy) is another store, and the inbox sensor loads everything again."""
    try:
        stat = Path(database).stat()
    except OSError:
        return "none"
    return f"{stat.st_dev}:{stat.st_ino}"
