"""Refresh benchmark: `uiv refresh` as a user runs it, timed with /usr/bin/time (peak memory).

    .venv/bin/python bench/refresh.py                 # the demo: a first refresh, then one with nothing new
    .venv/bin/python bench/refresh.py --rows 1000000  # also: one generated CSV of that many rows, end to end

Each refresh runs in a fresh temporary folder (store, out, Dagster instance), through the installed
`uiv` command. Printed beside the yardsticks of the performance issue: a refresh with nothing new
≤ 5 s on the demo (nothing recomputed, the report and the exports untouched), and 1 M rows end to
end ≤ 60 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "exports"
UIV = shutil.which("uiv", path=str(Path(sys.executable).parent)) or "uiv"


def _timed_refresh(folder: Path, inbox: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in GB, stdout) of one `uiv refresh --no-images`."""
    env = {**os.environ, "DAGSTER_HOME": str(folder / "dagster")}
    command = ["/usr/bin/time", "-v", UIV, "refresh", "--no-images", "--inbox", str(inbox),
               "--db", str(folder / "uiv.duckdb"), "--out", str(folder / "out")]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"uiv refresh failed ({result.returncode}):\n{result.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return seconds, (int(peak.group(1)) / 1024 ** 2 if peak else float("nan")), result.stdout


def _store_size(folder: Path) -> str:
    """The store's size on disk and per follow-up (goal: the demo under 60 MB)."""
    import duckdb

    db = folder / "uiv.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        followups = con.execute("SELECT count(*) FROM followups").fetchall()[0][0]
    finally:
        con.close()
    size = db.stat().st_size
    return f"store {size / 1e6:,.1f} MB ({size:,} bytes), {size / max(followups, 1) / 1e3:,.1f} kB per follow-up ({followups:,})"


def _stamps(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and "quality" not in p.parts}


def demo() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        seconds, peak, _ = _timed_refresh(folder, SAMPLE)
        print(f"demo, first refresh:        {seconds:6.1f} s, peak {peak:4.2f} GB; {_store_size(folder)} "
              "(goal: under 60 MB)")
        before = _stamps(folder / "out")
        seconds, peak, stdout = _timed_refresh(folder, SAMPLE)
        untouched = _stamps(folder / "out") == before
        said = "Inget nytt" in stdout
        print(f"demo, nothing new:          {seconds:6.1f} s, peak {peak:4.2f} GB   (goal ≤ 5 s; "
              f"report and exports untouched: {'yes' if untouched else 'NO'}; says 'Inget nytt': "
              f"{'yes' if said else 'NO'})")


def rows(count: int) -> None:
    from data_samples.generate import write_large_csv

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        inbox = folder / "inbox"
        inbox.mkdir()
        print(f"generating {count:,} rows ...", file=sys.stderr, flush=True)
        write_large_csv(inbox / f"followups_{count}.csv", rows=count, seed=2026)
        seconds, peak, _ = _timed_refresh(folder, inbox)
        print(f"{count:,} rows end to end:  {seconds:6.1f} s, peak {peak:4.2f} GB   (goal ≤ 60 s and < 2 GB at 1 M); "
              f"{_store_size(folder)}")
        seconds, peak, _ = _timed_refresh(folder, inbox)
        print(f"{count:,} rows, nothing new: {seconds:6.1f} s, peak {peak:4.2f} GB   (goal ≤ 10 s on a 2 M store)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, help="also refresh one generated CSV of this many rows")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    demo()
    if args.rows:
        rows(args.rows)


if __name__ == "__main__":
    main()
