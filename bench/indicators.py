"""Indicator benchmark: time to build indicators, comparisons and baselines for 1 M and 10 M
follow-ups, beside a bare DuckDB GROUP BY that produces the same counts and a plain pandas
groupby version; and the time the case-mix adjusted cells add (`build_adjusted`, after the
indicators), beside the goal that they at most double the indicator step.

    .venv/bin/python bench/indicators.py                 # 1 M and 10 M rows
    .venv/bin/python bench/indicators.py --rows 1000000  # one size
    .venv/bin/python bench/indicators.py --skip-pandas   # DuckDB only
    .venv/bin/python bench/indicators.py --adjusted-only # the indicator step and the adjusted cells

The follow-ups are generated (bench/data/followups_<rows>.csv, see bench/ingest.py) and loaded
once through the real ingest into bench/data/store_<rows>.duckdb; later runs reuse that store.
Each measurement works on a fresh copy of the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DATA = ROOT / "bench" / "data"

from ingest import _sample_file  # noqa: E402  (the generated CSV, shared with the ingest bench)

from uiv_core.cells.adjusted import build_adjusted  # noqa: E402
from uiv_core.cells.baselines import build_baselines  # noqa: E402
from uiv_core.cells.comparisons import build_comparisons  # noqa: E402
from uiv_core.cells.indicators import BREAKDOWNS, build_indicators, load_peer_groups  # noqa: E402
from uiv_core.ingest.loading import ingest_inbox  # noqa: E402
from uiv_schema.codes import AREAS  # noqa: E402
from uiv_schema.indicators import INDICATORS, PERCENT  # noqa: E402


def _store(rows: int) -> Path:
    store = DATA / f"store_{rows}.duckdb"
    if not store.exists():
        csv_path = _sample_file(rows)
        print(f"loading {rows:,} rows into {store} (once) ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory() as folder:
            inbox = Path(folder)
            (inbox / csv_path.name).symlink_to(csv_path)
            con = duckdb.connect(str(store))
            ingest_inbox(con, inbox, loaded_at=dt.datetime(2026, 11, 23), progress=lambda _: None)
            con.close()
    return store


def _timed(store: Path, work, setup=None) -> float:
    """Seconds of `work(con)` on a fresh copy of the store, after an untimed `setup(con)`."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "bench.duckdb"
        shutil.copy(store, copy)
        con = duckdb.connect(str(copy))
        con.execute("SET enable_progress_bar = false")
        if setup is not None:
            setup(con)
        start = time.perf_counter()
        work(con)
        seconds = time.perf_counter() - start
        con.close()
    return seconds


def pipeline_indicators(con) -> None:
    build_indicators(con, 10, load_peer_groups(None))


def adjusted_cells(con) -> None:
    build_adjusted(con, 10)


def pipeline_all(con) -> None:
    pipeline_indicators(con)
    build_comparisons(con)
    build_baselines(con)


def bare_group_by(con) -> None:
    """The same numerators and denominators, by brute force: every row expanded to its periods and
    units, one GROUP BY with GROUPING SETS. No intervals, no long format."""
    aggregates = []
    for i in INDICATORS:
        counted = f"coalesce({i.denominator}, FALSE)"
        numerator = (f"count_if({counted} AND coalesce({i.numerator}, FALSE))" if i.unit == PERCENT
                     else f"sum(CASE WHEN {counted} THEN {i.numerator} END)")
        aggregates += [f"{numerator}", f"count_if({counted})"]
    sets = []
    for group in (["target_group"], []):
        base = ["period_type", "period", "unit_type", "unit_code"] + group
        sets += ["(" + ", ".join(base) + ")"] + ["(" + ", ".join(base + [b]) + ")" for b in BREAKDOWNS]
    con.execute(f"""
    CREATE TEMP TABLE ref AS SELECT * FROM (VALUES {", ".join(
        f"('{m.code}', '00{m.county_code}')" for m in __import__('uiv_schema.municipalities', fromlist=['x']).municipalities().values())}) AS t(code, county);
    CREATE TABLE bare_counts AS
    WITH q AS (SELECT DISTINCT quarter, CAST(left(quarter, 4) AS INT) * 4 + CAST(right(quarter, 1) AS INT) - 1 AS qi FROM followups),
    periods AS (
        SELECT quarter, 'quarter' AS period_type, quarter AS period FROM q
        UNION ALL SELECT quarter, 'year', left(quarter, 4) FROM q
        UNION ALL SELECT a.quarter, 'rolling4q', b.quarter FROM q a JOIN q b ON a.qi BETWEEN b.qi - 3 AND b.qi
            WHERE b.qi - 3 >= (SELECT min(qi) FROM q)
    ), units AS (
        SELECT code, 'kommun' AS unit_type, code AS unit_code FROM ref
        UNION ALL SELECT code, 'lan', county FROM ref
        UNION ALL SELECT code, 'riket', '0000' FROM ref
    )
    SELECT period_type, period, unit_type, unit_code, target_group, {", ".join(BREAKDOWNS)}, {", ".join(aggregates)}
    FROM followups f JOIN periods p USING (quarter) JOIN units u ON u.code = f.municipality_code
    GROUP BY GROUPING SETS ({", ".join(sets)})
    """)


def pandas_groupby(con) -> None:
    """Plain pandas: per-row flags, then a groupby per period kind × unit kind × breakdown."""
    frame = con.execute("SELECT * FROM followups").fetchdf()
    flags = {}
    for area in AREAS:
        need = frame[f"need_{area}"].astype(bool)
        rating = frame[f"rating_{area}"].astype("float32")
        rated = need & rating.between(1, 4)
        flags[f"n_need.{area}"] = need
        flags[f"x_cov.{area}"] = rated
        flags[f"x_imp.{area}"] = rated & (rating >= 3)
        flags[f"x_mark.{area}"] = rated & (rating == 4)
        flags[f"x_sum.{area}"] = rating.where(rated, 0)
    flags["x_sat"] = frame["satisfaction"].astype("float32").between(4, 5)
    flags["n_sat"] = frame["satisfaction"].astype("float32").between(1, 5)
    flags["x_drop"] = frame["completed"] == "avbrutet"
    flags["n_drop"] = frame["completed"].isin(["ja", "avbrutet"])
    data = pd.concat([frame[["quarter", "municipality_code", "target_group", *BREAKDOWNS]],
                      pd.DataFrame({k: v.astype("float32") for k, v in flags.items()})], axis=1)
    data["year"] = data["quarter"].str[:4]
    measures = list(flags)
    results = 0
    for period in ("quarter", "year"):
        for unit in ("municipality_code", None):
            for breakdown in (None, *BREAKDOWNS):
                for target in ("target_group", None):
                    keys = [k for k in (period, unit, target, breakdown) if k]
                    results += len(data.groupby(keys, observed=True)[measures].sum())
    print(f"    (pandas: {results:,} grouped rows, rolling windows not included)", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="rows (repeatable; default 1 M and 10 M)")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--adjusted-only", action="store_true",
                        help="measure only the indicator step and the adjusted cells added after it")
    args = parser.parse_args()
    print(f"{'rows':>12} {'what':<46} {'seconds':>8}")
    for rows in args.rows or [1_000_000, 10_000_000]:
        store = _store(rows)
        runs = [("pipeline: indicators table", pipeline_indicators),
                ("pipeline: indicators + comparisons + baselines", pipeline_all),
                ("bare DuckDB GROUP BY, same counts", bare_group_by)]
        if args.adjusted_only:
            runs = runs[:1]
        elif not args.skip_pandas:
            runs.append(("pandas groupby (quarter/year only)", pandas_groupby))
        timings = {}
        for label, work in runs:
            print(f"  measuring {label} on {rows:,} rows ...", file=sys.stderr, flush=True)
            timings[label] = _timed(store, work)
            print(f"{rows:>12,} {label:<46} {timings[label]:>8.1f}", flush=True)
        if "bare DuckDB GROUP BY, same counts" in timings:
            ratio = timings["pipeline: indicators table"] / timings["bare DuckDB GROUP BY, same counts"]
            print(f"{rows:>12,} {'indicators / bare GROUP BY':<46} {ratio:>7.2f}x", flush=True)
        print(f"  measuring the adjusted cells on {rows:,} rows ...", file=sys.stderr, flush=True)
        added = _timed(store, adjusted_cells, setup=pipeline_indicators)
        print(f"{rows:>12,} {'adjusted cells, added after the indicators':<46} {added:>8.1f}", flush=True)
        share = added / timings["pipeline: indicators table"]
        verdict = "met" if share <= 1 else "not met"
        print(f"{rows:>12,} {'adjusted / indicators (goal <= 1.00x)':<46} {share:>7.2f}x  {verdict}", flush=True)


if __name__ == "__main__":
    main()
