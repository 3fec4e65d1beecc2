"""When a `uiv refresh` has nothing to do ("Inget nytt"), and how it knows without Dagster.

The store keeps the signature of what its computed tables and the published files were last built
from (`refresh_signature`: the loaded files in load order, the settings, the code versions of every
room, the output folder), written after every complete quarters run. A refresh has nothing to do
when every file in the inbox has content the store took in before (loaded or unchanged, not
refused), the signature is the same and the report and the exports are in place: then no run is
started at all, the files are not touched, and the summary says so. The inbox sensor follows the
same data (a file content the store has seen asks for no run); it also leaves a refused file alone,
where a refresh with a refused file in the inbox runs the ingest again to report it.

Light on purpose: this runs before Dagster, pandera and Great Expectations are imported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.settings import Settings
from uiv_core.fingerprints import combine, loaded_files_fingerprint, seen_files
from uiv_core.opening import open_store
from uiv_core.sql import query


@dataclass
class Unchanged:
    """A refresh that had nothing to do: the inbox's files and the checks as the last run left them."""

    files: list[str]
    checks: list[tuple[str, bool]]


def signature(settings: Settings, con: duckdb.DuckDBPyConnection) -> str:
    """What the computed tables and the published files are a function of."""
    from assets.versions import CELLS_CODE, INGEST_CODE, PUBLISH_CODE

    peers = settings.peer_groups or "skr-2023"  # the default groups are part of the code (uiv_schema)
    if Path(peers).is_file():
        peers = Path(peers).read_bytes().hex()
    return combine(loaded_files_fingerprint(con), settings.min_n, peers, settings.planning_n, settings.images,
                   settings.max_quarantine_share, str(Path(settings.out).resolve()), INGEST_CODE, CELLS_CODE,
                   PUBLISH_CODE)


@dataclass
class StoreState:
    """What the store is now (its signature, the file contents it has taken in) and what the last
    complete refresh recorded."""

    signature: str
    recorded: str | None
    seen: dict[str, str]

    @property
    def up_to_date(self) -> bool:
        return self.recorded == self.signature


def store_state(settings: Settings) -> StoreState | None:
    """The store's state, read through one read-only connection (None: no store yet)."""
    if not Path(settings.db).is_file():
        return None
    con = open_store(settings.db, read_only=True, wait=True)
    try:
        try:
            rows = con.execute(query("refresh_signature")).fetchall()
        except duckdb.CatalogException:  # no complete refresh recorded
            rows = []
        return StoreState(signature(settings, con), rows[0][0] if rows else None, seen_files(con))
    except duckdb.CatalogException:  # not an ingested store
        return None
    finally:
        con.close()


def record_signature(db: str, value: str) -> None:
    """After a complete quarters run: what the store and the published files now reflect."""
    con = open_store(db, read_only=False, wait=True)
    try:
        con.execute(query("create_refresh_signature"), {"signature": value, "finished_at": dt.datetime.now()})
    finally:
        con.close()


def published_files_present(settings: Settings) -> bool:
    """The report's start page and every export file that a refresh always writes are in place."""
    from uiv_core.publish.export_files import ADJUSTED_PARQUET, ADJUSTED_WORKBOOK, CSV_FILE, PARQUET_FILE, WORKBOOKS

    out = Path(settings.out)
    return (out / "report" / "index.html").is_file() and all(
        (out / "exports" / name).is_file()
        for name in (CSV_FILE, PARQUET_FILE, *WORKBOOKS, ADJUSTED_WORKBOOK, ADJUSTED_PARQUET))


def unchanged(settings: Settings) -> Unchanged | None:
    """The inbox and the store when a refresh has nothing to do (see the module doc), else None."""
    from uiv_core.ingest.inbox import list_inbox
    from uiv_core.ingest.reading import file_sha256

    if not published_files_present(settings):
        return None
    state = store_state(settings)
    if state is None or not state.up_to_date:
        return None
    files = list_inbox(Path(settings.inbox))
    if any(state.seen.get(file_sha256(Path(settings.inbox) / f.name)) not in ("loaded", "unchanged") for f in files):
        return None
    return Unchanged([f.name for f in files], _last_checks(Path(settings.out) / "quality" / "checks.json"))


def _last_checks(path: Path) -> list[tuple[str, bool]]:
    try:
        return sorted((c["name"], bool(c["passed"])) for c in json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return []
