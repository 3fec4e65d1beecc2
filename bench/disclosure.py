"""Disclosure benchmark: what secondary suppression costs and how long the audit takes.

    .venv/bin/python bench/disclosure.py                    # the demo, then 290 municipalities × 8 quarters, 1 M rows
    .venv/bin/python bench/disclosure.py --rows 200000      # a smaller national store
    .venv/bin/python bench/disclosure.py --demo-only

For each store it prints the published cells, the share hidden by primary suppression (n < 10 or
no follow-ups), what the attacker recovers from the primary pattern alone ("before"), the share
hidden by secondary suppression ("after": then nothing with n 1..9 is recovered), the rounds and
the seconds `build_publication` takes (audit + writing the published tables), beside the seconds
of the indicators that feed it. The national store is generated once into bench/data/ (all 290
municipalities, 2024Q4–2026Q3, sizes drawn log-normally) and loaded through the real ingest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"

from data_samples.generate import DEFAULT_QUARTERS, generate_followups, write_csv  # noqa: E402
from uiv_core.cells.baselines import build_baselines  # noqa: E402
from uiv_core.cells.comparisons import build_comparisons  # noqa: E402
from uiv_core.cells.indicators import build_indicators, load_peer_groups  # noqa: E402
from uiv_core.ingest.loading import ingest_inbox  # noqa: E402
from uiv_core.publish.publication import build_publication  # noqa: E402
from uiv_schema.municipalities import municipalities  # noqa: E402

SAMPLE = ROOT / "data_samples" / "exports"


def _national_inbox(rows: int) -> Path:
    folder = DATA / f"national_{rows}"
    if not folder.exists():
        print(f"generating {rows:,} follow-ups for 290 municipalities → {folder} ...", file=sys.stderr, flush=True)
        folder.mkdir(parents=True)
        frame = generate_followups(rows, seed=2026, municipality_codes=sorted(municipalities()),
                                   quarters=list(DEFAULT_QUARTERS))
        write_csv(frame, folder / "riket.csv")
    return folder


def _measure(label: str, inbox: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        con.execute("SET enable_progress_bar = false")
        from uiv_core.ingest.store import ensure_schema

        ensure_schema(con)
        ingest_inbox(con, inbox, loaded_at=dt.datetime(2026, 11, 23), progress=lambda _: None)
        followups = con.execute("SELECT count(*) FROM followups").fetchall()[0][0]
        started = time.perf_counter()
        build_indicators(con, 10, load_peer_groups("none"))  # figures comparable with earlier runs: no peer groups
        build_comparisons(con)
        build_baselines(con)
        upstream = time.perf_counter() - started
        started = time.perf_counter()
        counts = build_publication(con, progress=lambda text: print("   ", text, file=sys.stderr, flush=True),
                                   measure_primary=True)
        seconds = time.perf_counter() - started
        cells = counts["cells"]
        print(f"{label}: {followups:,} follow-ups, {cells:,} published cells")
        print(f"  primary, n 0 (no follow-up)   {counts['empty']:>10,}  {counts['empty'] / cells:6.1%}")
        small = counts['primary'] - counts['empty']
        print(f"  primary, n 1..9               {small:>10,}  {small / cells:6.1%}")
        print(f"  recovered before, any n       {counts['recovered_without_secondary']:>10,}")
        print(f"  recovered before, n 1..9      {counts['disclosed_without_secondary']:>10,}")
        print(f"  secondary (after)             {counts['secondary']:>10,}  {counts['secondary'] / cells:6.1%}"
              "   recovered after, n 1..9: 0")
        print(f"  rounds {counts['rounds']}, build_publication {seconds - counts['measure_seconds']:.1f} s "
              f"(indicators + comparisons + baselines {upstream:.1f} s; the 'before' audit, "
              f"{counts['measure_seconds']:.1f} s, left out: a refresh does not run it)")
        print(f"  disclosure control (arrays, pairing, audit, rounds) {counts['protection_seconds']:.1f} s "
              f"of it   yardstick: at most 30 s added to a 1 M-row refresh", flush=True)
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="follow-ups of the national store")
    parser.add_argument("--demo-only", action="store_true")
    args = parser.parse_args()
    _measure("demo (24 municipalities)", SAMPLE)
    if not args.demo_only:
        _measure(f"290 municipalities × 8 quarters, {args.rows:,} rows", _national_inbox(args.rows))


if __name__ == "__main__":
    main()
