"""Ingest benchmark: rows/s and peak memory of read + identity scan + validation + store,
beside DuckDB's own `read_csv` of the same file (the yardstick).

    .venv/bin/python bench/ingest.py                 # 1 M and 10 M rows
    .venv/bin/python bench/ingest.py --rows 1000000  # one size

Generated files are cached in bench/data/ (git-ignored). Every measurement runs in a fresh
child process that reports its own peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def _child_pipeline(csv_path: str) -> dict:
    import datetime as dt
    import shutil

    import duckdb

    from uiv_core.ingest.loading import ingest_inbox

    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox"
        inbox.mkdir()
        shutil.copy(csv_path, inbox / Path(csv_path).name)
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        start = time.perf_counter()
        (outcome,) = ingest_inbox(con, inbox, loaded_at=dt.datetime(2026, 11, 23), progress=lambda _: None)
        seconds = time.perf_counter() - start
        con.close()
    return {"seconds": seconds, "rows": outcome.rows_read, "loaded": outcome.rows_loaded}


def _child_duckdb(csv_path: str) -> dict:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', header=true, all_varchar=true)", [csv_path])
        seconds = time.perf_counter() - start
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    return {"seconds": seconds, "rows": rows}


def _measure(kind: str, csv_path: Path) -> dict:
    """Run one measurement in a child process; add its peak memory."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(csv_path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _sample_file(rows: int) -> Path:
    from data_samples.generate import write_large_csv

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"followups_{rows}.csv"
    if not path.exists():
        print(f"generating {rows:,} rows → {path} ...", file=sys.stderr, flush=True)
        write_large_csv(path, rows=rows, seed=2026)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="rows (repeatable; default 1 M and 10 M)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        result = _child_pipeline(path) if kind == "pipeline" else _child_duckdb(path)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(json.dumps(result))
        return

    print(f"{'rows':>12} {'what':<34} {'seconds':>8} {'rows/s':>12} {'peak MB':>8}")
    for rows in args.rows or [1_000_000, 10_000_000]:
        path = _sample_file(rows)
        size_mb = path.stat().st_size / 1e6
        seconds = {}
        for kind, label in (("duckdb", "DuckDB read_csv (yardstick)"), ("pipeline", "uiv ingest + validation")):
            print(f"  measuring {label} on {rows:,} rows ({size_mb:.0f} MB) ...", file=sys.stderr, flush=True)
            result = _measure(kind, path)
            assert result["rows"] == rows, result
            seconds[kind] = result["seconds"]
            print(f"{rows:>12,} {label:<34} {result['seconds']:>8.1f} {rows / result['seconds']:>12,.0f} "
                  f"{result['peak_mb']:>8.0f}", flush=True)
        ratio = seconds["pipeline"] / seconds["duckdb"]
        print(f"{rows:>12,} {'ingest / yardstick':<34} {ratio:>7.2f}x   (goal at 10 M: <= 3x, peak < 2 GB)", flush=True)


if __name__ == "__main__":
    main()
