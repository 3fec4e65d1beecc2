"""Survive kill -9 and share the store: real `uiv refresh` processes, killed with SIGKILL at three
moments (ingest, indicators, report pages), and readers and a second refresh during a refresh."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import ingest, valid_row, write_csv
from uiv_core.ingest.store import ensure_schema
from pipelines.cli import main
from test_cli import UIV

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group")

QUARTER_DATES = ["2024-12-15", "2025-03-15", "2025-06-15", "2025-09-15"]


def _rows(prefix: str, municipalities: list[str], per: int) -> list[dict]:
    return [valid_row(record_id=f"{prefix}{q}{m}{i:03d}", followup_date=date, start_date="2024-06-01",
                      municipality_code=m)
            for q, date in enumerate(QUARTER_DATES) for m in municipalities for i in range(per)]


def _command(folder: Path, *extra: str) -> list[str]:
    return [UIV, "refresh", "--no-images", "--inbox", str(folder / "inbox"), "--db", str(folder / "uiv.duckdb"),
            "--out", str(folder / "out"), *extra]


def _refresh(folder: Path) -> None:
    """An undisturbed refresh, in this process (the same command, without paying the imports again:
    only the killed refreshes need a process of their own)."""
    assert main(_command(folder)[1:]) == 0


def _killed_at(folder: Path, marker: str) -> str:
    """Start a refresh, SIGKILL its process group when `marker` appears in its output; the output."""
    child = subprocess.Popen(_command(folder), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    seen = []
    for line in child.stdout:
        seen.append(line)
        if re.search(marker, line):
            os.killpg(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"never reached {marker!r}:\n{''.join(seen)[-3000:]}"
    return "".join(seen)


def _columns(con, table: str) -> list[str]:
    return [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [table]).fetchall()]


def _tables(db: Path) -> dict[str, str]:
    """A digest of every table's rows (the load's timestamps left out: they differ between runs)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        digests = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'main' ORDER BY 1").fetchall():
            timed = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND data_type LIKE 'TIMESTAMP%'", [table]).fetchall()]
            exclude = f" EXCLUDE ({', '.join(timed)})" if timed else ""
            if table == "refresh_signature":  # bookkeeping naming this run's folders: one row or none
                rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()
            elif table.endswith("_state") and "key" in _columns(con, table):  # period → key (of load times too)
                rows = con.execute(f'SELECT * EXCLUDE (key) FROM "{table}" ORDER BY ALL').fetchall()
            elif table.endswith("_state"):  # bookkeeping: quarter → "rows:last load time:hash"
                rows = con.execute(f'SELECT quarter, split_part(fingerprint, \':\', 1) FROM "{table}" '
                                   "ORDER BY ALL").fetchall()
            else:
                rows = con.execute(f'SELECT *{exclude} FROM "{table}" ORDER BY ALL').fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


def _report_complete(out: Path) -> set[str]:
    """Every page the report's index links exists; the municipality pages linked."""
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="((?:kommun|lan)/[^"#]+\.html)"', index))
    missing = [link for link in links if not (out / "report" / link).is_file()]
    assert links and not missing, f"index links missing pages: {missing}"
    return {link for link in links if link.startswith("kommun/")}


def test_sigkill_at_three_moments_leaves_before_or_after_and_a_rerun_gives_after(tmp_path):
    before_dir = tmp_path / "run"
    (before_dir / "inbox").mkdir(parents=True)
    write_csv(before_dir / "inbox" / "a.csv", _rows("A", ["0180"], 12))
    _refresh(before_dir)
    before = _tables(before_dir / "uiv.duckdb")
    assert _report_complete(before_dir / "out") == {"kommun/0180.html"}

    write_csv(before_dir / "inbox" / "b.csv", _rows("B", ["1280"], 12))
    reference = tmp_path / "reference"  # the after-state, from an undisturbed refresh
    shutil.copytree(before_dir, reference)
    _refresh(reference)
    after = _tables(reference / "uiv.duckdb")
    assert before != after

    for marker in (r"loading b\.csv", r"indicators: computing", r"report: writing \d+ municipality pages"):
        _killed_at(before_dir, marker)
        now = _tables(before_dir / "uiv.duckdb")
        assert set(now) <= set(after)
        mixed = {t: ("before" if now[t] == before.get(t) else "after" if now[t] == after[t] else "neither")
                 for t in now}
        assert "neither" not in mixed.values(), f"after SIGKILL at {marker!r}: {mixed}"
        pages = _report_complete(before_dir / "out")  # the previous complete report, or the new one
        assert pages in ({"kommun/0180.html"}, {"kommun/0180.html", "kommun/1280.html"})

    _refresh(before_dir)
    assert _tables(before_dir / "uiv.duckdb") == after
    assert _report_complete(before_dir / "out") == {"kommun/0180.html", "kommun/1280.html"}
    assert not list((before_dir / "out").glob(".*"))  # no half-written folder left beside the report


def test_readers_and_a_second_refresh_during_a_refresh(tmp_path, capsys):
    folder = tmp_path / "run"
    (folder / "inbox").mkdir(parents=True)
    write_csv(folder / "inbox" / "a.csv", _rows("A", ["0180"], 12))
    db = folder / "uiv.duckdb"
    con = duckdb.connect(str(db))  # a store with a file loaded (the ingest alone: quick)
    ensure_schema(con)
    ingest(con, folder / "inbox")
    con.close()
    # a writer holding the store, as a refresh does, for a few seconds
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); time.sleep(4)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    busy = subprocess.run([UIV, "files", "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert busy.returncode == 3
    assert f"uiv files: en uppdatering pågår (pid {holder.pid}, sedan " in busy.stderr
    assert "försök igen när den är klar" in busy.stderr and "Traceback" not in busy.stderr
    started = time.perf_counter()
    waited = subprocess.run([UIV, "files", "--wait", "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert waited.returncode == 0 and "a.csv" in waited.stdout and "väntar" in waited.stderr
    assert time.perf_counter() - started > 2
    holder.wait(timeout=30)

    write_csv(folder / "inbox" / "b.csv", _rows("B", ["1280"], 12))
    first = subprocess.Popen(_command(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    capsys.readouterr()
    second = main(_command(folder)[1:])  # in this process, while the first one runs
    second_out, second_err = capsys.readouterr()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and second == 0, err[-2000:] + second_err[-2000:]
    # whichever took the lock first loads b.csv; the other waited, said so, and found nothing new
    outputs = sorted([(out, err), (second_out, second_err)], key=lambda o: "Files: 1 loaded" not in o[0])
    (loader, _), (waiter, waiter_err) = outputs
    assert "Files: 1 loaded, 1 unchanged" in loader and "Files: 0 loaded, 2 unchanged" in waiter
    assert "den här uppdateringen väntar tills den är klar" in waiter_err
    assert "Quarters recomputed: 2024Q4–2025Q3 (4)" in loader
