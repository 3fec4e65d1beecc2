"""Opening the store while a refresh may be writing it.

DuckDB lets one process write a database file and nobody else open it meanwhile. A reader
(`uiv files`, the notebooks) that finds the file locked gets `StoreBusy`, whose message says who
holds it and since when ("en uppdatering pågår (pid 4711, sedan 14:05); försök igen när den är
klar"), instead of DuckDB's lock traceback; `wait=True` waits until the file is free.

Refreshes queue up behind each other with `refresh_lock`: an advisory lock file beside the
database (`<db>.refresh.lock`), held for the whole refresh (both Dagster runs), so that a second
refresh waits for the first from start to end and says so in one line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from uiv_core.sql import query

_PID = re.compile(r"\(PID (\d+)\)")
POLL_SECONDS = 1.0


class StoreBusy(Exception):
    """The database file is being written by another process."""

    def __init__(self, pid: int | None):
        self.pid = pid
        super().__init__(busy_message(pid))


def _started(pid: int | None) -> str | None:
    if pid is None:
        return None
    try:
        import psutil

        return dt.datetime.fromtimestamp(psutil.Process(pid).create_time()).strftime("%H:%M")
    except Exception:  # noqa: BLE001 - gone, or not ours to look at
        return None


def busy(pid: int | None) -> str:
    """"en uppdatering pågår (pid N, sedan HH:MM)": who writes the store."""
    since = _started(pid)
    who = f"pid {pid}" + (f", sedan {since}" if since else "") if pid else "en annan process"
    return f"en uppdatering pågår ({who})"


def busy_message(pid: int | None) -> str:
    return f"{busy(pid)}; försök igen när den är klar"


def is_lock_error(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "Could not set lock" in str(error)


def holder(error: BaseException) -> int | None:
    found = _PID.search(str(error))
    return int(found.group(1)) if found else None


#: the share of the machine's memory DuckDB may use for the store unless told otherwise
MEMORY_SHARE = 0.4


def default_memory_limit() -> str | None:
    """DuckDB's memory limit for the store: 40 % of the machine's memory. Beyond it sorts, joins
    and aggregates spill to `<db>.tmp`. DuckDB's own default (80 %) leaves too little beside the
    Python process: 300 000 follow-ups in 290 municipalities ran out of memory at 18.8 GiB in the
    comparisons, and finish in 9.5 GB with 9 GB (bench/report.py, docs/scaling.md). None where
    the machine's memory cannot be read (DuckDB's default then)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    return f"{int(total * MEMORY_SHARE) >> 20}MiB" if total > 0 else None


_UNITS = {"": 1, "B": 1, "BYTES": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40, "PIB": 2**50, "EIB": 2**60}


def memory_bytes(text: str) -> int:
    """Bytes of a DuckDB memory size as it reads or is written ('9.3 GiB', '1500MB')."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).upper() not in _UNITS:
        raise ValueError(f"not a memory size: {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


#: DuckDB's memory limit while files are taken in: past it the raw and staged tables of a large
#: export spill to `<db>.tmp` instead of growing with the file (10 M rows: 1.9 GB peak, bench/ingest.py)
INGEST_MEMORY_LIMIT = "1500MB"


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str = INGEST_MEMORY_LIMIT) -> Iterator[None]:
    """Lower DuckDB's memory limit to `limit` for the block, then restore it: for a store in a
    file only (an in-memory database has nowhere to spill), and never raise it."""
    current, path = con.execute(query("memory_setting")).fetchone()
    try:
        lower = path is not None and memory_bytes(current) > memory_bytes(limit)
    except ValueError:  # a limit DuckDB reads out in a way not known here: leave it as it is
        lower = False
    if not lower:
        yield
        return
    con.execute(query("set_memory_limit", limit=limit))
    # DuckDB reads out "no limit" in PiB, a unit SET does not take: that one is set back as -1
    restore = "-1" if memory_bytes(current) >= 2**50 else current
    try:
        yield
    finally:
        con.execute(query("set_memory_limit", limit=restore))


def open_store(path: str | Path, read_only: bool = True, wait: bool = False,
               on_wait=lambda text: None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """Connect to the store; raises StoreBusy while another process writes it (or, with `wait`,
    says so once through `on_wait` and waits until it can connect). `memory_limit`: DuckDB's
    (e.g. '4GB'; default `default_memory_limit()`)."""
    said = False
    limit = memory_limit or default_memory_limit()
    config = {"memory_limit": limit} if limit else {}
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as error:
            if not is_lock_error(error):
                raise
            if not wait:
                raise StoreBusy(holder(error)) from None
            if not said:
                on_wait(f"{busy(holder(error))}; väntar ...")
                said = True
            time.sleep(POLL_SECONDS)


@contextmanager
def refresh_lock(db: str | Path, on_wait=lambda text: None):
    """Hold `<db>.refresh.lock` for a whole refresh; a second refresh waits here, saying so once.
    Where advisory locks are not available (Windows) this does nothing: DuckDB's own lock and
    the connection retries still keep two writers apart."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = Path(f"{db}.refresh.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            text = handle.read().strip()
            pid = int(text) if text.isdigit() else None
            on_wait(f"{busy(pid)}; den här uppdateringen väntar tills den är klar")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
