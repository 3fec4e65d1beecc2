"""Report benchmark: time to build every chart and page of the report for all 290 municipalities.

    .venv/bin/python bench/report.py [--rows 300000]

Generates follow-ups for all 290 municipalities (seeded), loads them through the real ingest,
builds indicators, comparisons, baselines and the published tables once (timed separately), then
times `build_report` (municipality pages, county pages with PNG/SVG images, index, methods).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


from data_samples.generate import generate_followups, write_csv
from uiv_core.cells.baselines import build_baselines
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.cells.indicators import build_indicators, load_peer_groups
from uiv_core.ingest.loading import ingest_inbox
from uiv_core.opening import open_store
from uiv_core.publish.publication import build_publication
from uiv_core.publish.report import build_report
from uiv_schema.municipalities import municipalities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300_000, help="follow-ups in all (default 300 000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        inbox = folder / "inbox"
        inbox.mkdir()
        start = time.perf_counter()
        frame = generate_followups(args.rows, seed=2026, municipality_codes=sorted(municipalities()))
        write_csv(frame, inbox / "all_290.csv")
        con = open_store(folder / "uiv.duckdb", read_only=False)  # the store's memory limit
        con.execute("SET enable_progress_bar = false")
        ingest_inbox(con, inbox, loaded_at=dt.datetime(2026, 11, 23, 8, 0), progress=lambda _: None)
        build_indicators(con, 10, load_peer_groups(None))
        build_comparisons(con)
        build_baselines(con)
        build_publication(con)
        prepared = time.perf_counter() - start
        print(f"prepared {args.rows:,} follow-ups in 290 municipalities (load + tables): {prepared:.1f} s",
              file=sys.stderr, flush=True)
        start = time.perf_counter()
        summary = build_report(con, folder / "report", "2026-11-23 08:00", 10,
                               progress=lambda text: print(text, file=sys.stderr, flush=True))
        seconds = time.perf_counter() - start
        pages = sum(1 for _ in (folder / "report").rglob("*.html"))
        images = sum(1 for p in (folder / "report").rglob("*") if p.suffix in (".png", ".svg"))
        size = sum(p.stat().st_size for p in (folder / "report").rglob("*") if p.is_file()) / 1e6
        con.close()
    print(f"{'municipality pages':<28} {summary['municipality_pages']:>8}")
    print(f"{'county pages':<28} {summary['county_pages']:>8}")
    print(f"{'HTML pages in all':<28} {pages:>8}")
    print(f"{'PNG/SVG images':<28} {images:>8}")
    print(f"{'report size (MB)':<28} {size:>8.1f}")
    print(f"{'build_report seconds':<28} {seconds:>8.1f}")


if __name__ == "__main__":
    main()
