"""Incremental benchmark: load one new quarter (60 000 follow-ups) on top of 2 M stored ones.

    .venv/bin/python bench/incremental.py [--stored 2000000] [--new 60000]

Prepares a store of `--stored` generated follow-ups (8 quarters, 2024Q4–2026Q3) with everything
built, as the last quarterly refresh left it (indicators; then comparisons, baselines, the
published tables, the report and the exports through Dagster), then times what the inbox
sensor's run for the new quarter does, through Dagster on the same instance:
  1. ingest: read, refuse-scan, validate and store the new file;
  2. indicator_sums and indicators for the partition 2026Q4 (the quarter, its year, its rolling window);
then what the same run does next: the case-mix adjusted cells and the comparisons (the periods
the new quarter reaches), the baselines and the published tables, and the report and the exports (no images); and the sum,
beside the goal of issue 13 (one new quarter on 2 M stored rows, everything included, ≤ 30 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assets.indicators import adjusted_indicators, baselines, comparisons, indicator_sums, indicators  # noqa: E402
from assets.ingest import ingest  # noqa: E402
from assets.publish import exports, published, report  # noqa: E402
from data_samples.generate import generate_followups, write_csv, write_large_csv  # noqa: E402
from pipelines.resources import build_resources  # noqa: E402
from pipelines.settings import Settings  # noqa: E402
from uiv_core.cells.indicators import build_indicators, load_peer_groups  # noqa: E402
from uiv_core.ingest.loading import ingest_inbox  # noqa: E402

NEW_QUARTER = "2026Q4"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=2_000_000, help="follow-ups already stored")
    parser.add_argument("--new", type=int, default=60_000, help="follow-ups in the new quarter's file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base, inbox = folder / "base", folder / "inbox"
        base.mkdir()
        inbox.mkdir()
        start = time.perf_counter()
        write_large_csv(base / "stored.csv", rows=args.stored, seed=2026)
        db = folder / "uiv.duckdb"
        con = duckdb.connect(str(db))
        con.execute("SET enable_progress_bar = false")
        ingest_inbox(con, base, loaded_at=dt.datetime(2026, 10, 1, 8, 0), progress=lambda _: None)
        build_indicators(con, 10, load_peer_groups(None))
        stored = con.execute("SELECT count(*) FROM followups").fetchall()[0][0]
        con.close()
        settings = Settings(db=str(db), inbox=str(inbox), out=str(folder / "out"), images=False)
        resources = build_resources(settings)
        instance = dg.DagsterInstance.ephemeral()
        downstream = [adjusted_indicators, comparisons, baselines, published, report, exports]
        assert dg.materialize(downstream, resources=resources, instance=instance, selection=downstream).success
        print(f"prepared {stored:,} stored follow-ups, everything built: {time.perf_counter() - start:.1f} s",
              file=sys.stderr, flush=True)

        new = generate_followups(args.new, seed=4242, quarters=[NEW_QUARTER])
        new["record_id"] = "N" + new["record_id"].astype(str)  # new records, not re-deliveries
        write_csv(new, inbox / f"{NEW_QUARTER}.csv")
        instance.add_dynamic_partitions("quarter", [NEW_QUARTER])

        start = time.perf_counter()
        loaded = dg.materialize([ingest], resources=resources, instance=instance)
        ingest_seconds = time.perf_counter() - start
        start = time.perf_counter()
        computed = dg.materialize([indicator_sums, indicators], partition_key=NEW_QUARTER,
                                  resources=resources, instance=instance)
        quarter_seconds = time.perf_counter() - start
        start = time.perf_counter()
        rebuilt = dg.materialize([adjusted_indicators, comparisons, baselines, published], resources=resources,
                                 instance=instance, selection=[adjusted_indicators, comparisons, baselines, published])
        downstream_seconds = time.perf_counter() - start
        start = time.perf_counter()
        written = dg.materialize([report, exports], resources=resources, instance=instance,
                                 selection=[report, exports])
        publish_seconds = time.perf_counter() - start
        assert loaded.success and computed.success and rebuilt.success and written.success
        metadata = {e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
                    for run in (computed, rebuilt) for e in run.get_asset_materialization_events()}
    rows = [
        ("stored follow-ups", f"{stored:,}"),
        ("new quarter's follow-ups", f"{args.new:,}"),
        ("ingest (Dagster run)", f"{ingest_seconds:.1f} s"),
        (f"indicator_sums + indicators [{NEW_QUARTER}]", f"{quarter_seconds:.1f} s"),
        ("cells recomputed", f"{metadata['indicators']['dagster/row_count'].value:,}"),
        ("ingest + the new quarter's partition", f"{ingest_seconds + quarter_seconds:.1f} s"),
        ("comparison periods rewritten", ", ".join(metadata["comparisons"]["periods_rebuilt"].value)),
        ("adjusted + comparisons + baselines + published", f"{downstream_seconds:.1f} s"),
        ("report + exports (no images)", f"{publish_seconds:.1f} s"),
        ("ONE NEW QUARTER, EVERYTHING (goal ≤ 30 s)",
         f"{ingest_seconds + quarter_seconds + downstream_seconds + publish_seconds:.1f} s"),
    ]
    for name, value in rows:
        print(f"{name:<46} {value:>12}")


if __name__ == "__main__":
    main()
