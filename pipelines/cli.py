"""The `uiv` command: refresh, check, files, sample. `uiv COMMAND --help` explains each.

Exit codes: 0 success; 2 usage error (bad arguments, missing file or folder); 3 the store is
being written by a refresh (`files`; `--wait` waits instead). In between: `refresh` exits 1 when
a file was refused; `check` exits 1 when rows would be quarantined and 2 when a file would be
refused (as the contract asks of each command).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def _print(text: str = "") -> None:
    print(text, flush=True)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- refresh ---------------------------------------------------------------------------------


def cmd_refresh(args: argparse.Namespace) -> int:
    from pipelines.refresh import run_refresh
    from pipelines.settings import settings_from_env
    from uiv_core.cells.indicators import NO_PEER_GROUPS

    try:
        settings = settings_from_env(args.db, args.inbox, args.out, args.min_n, args.peer_groups,
                                     images=False if args.no_images else None)
    except ValueError as error:
        _progress(f"uiv refresh: {error}")
        return EXIT_USAGE
    if settings.peer_groups and settings.peer_groups.strip().lower() != NO_PEER_GROUPS \
            and not Path(settings.peer_groups).is_file():
        _progress(f"uiv refresh: peer-group file {settings.peer_groups} does not exist")
        return EXIT_USAGE
    if not Path(settings.inbox).is_dir():
        _progress(f"uiv refresh: inbox folder {settings.inbox} does not exist")
        return EXIT_USAGE
    from pipelines.nothing_new import unchanged
    from pipelines.refresh import RefreshResult
    from uiv_core.opening import refresh_lock

    with refresh_lock(settings.db, on_wait=_progress):
        _progress(f"Refreshing from {settings.inbox} into {settings.db} ...")
        found = unchanged(settings)  # before Dagster is even imported: nothing to do is quick
        if found is not None:
            result = RefreshResult(None, None, [], nothing_new=True, unchanged=found)
        else:
            from pipelines.instance import shared_instance

            with shared_instance() as instance:
                _progress(f"Dagster instance: {instance.root_directory}")
                result = run_refresh(settings, only_new=args.only_new, instance=instance, check_unchanged=False)
    if not result.success:
        _progress("uiv refresh: the run failed; see the errors above")
        return EXIT_DATA
    return _print_refresh_summary(result.run_summary(), result, settings)


def _print_refresh_summary(run: dict, result, settings) -> int:
    files = run["files"]
    status = Counter(f["status"] for f in files)
    _print("")
    _print(f"Files: {status['loaded']} loaded, {status['unchanged']} unchanged, {status['refused']} refused")
    _print(f"Rows: {sum(f['rows_loaded'] for f in files)} loaded, "
           f"{sum(f['rows_quarantined'] for f in files)} quarantined, "
           f"{sum(f['rows_replaced'] for f in files)} replaced earlier versions")
    if run["quarantined_by_reason"]:
        _print("Quarantined rows by reason:")
        for code, count in sorted(run["quarantined_by_reason"].items(), key=lambda kv: (-kv[1], kv[0])):
            _print(f"  {code:<22} {count:>8}")
    for f in files:
        if f["status"] == "refused":
            _print(f"REFUSED {f['file_name']}: {f['message']}")
    checks = result.checks()
    if checks:
        failed = [name for name, passed in checks if not passed]
        _print(f"Quality: {len(checks) - len(failed)} of {len(checks)} checks passed"
               + (f" (failed: {', '.join(failed)})" if failed else "")
               + (" at the last refresh (nothing new to check)" if result.unchanged else "")
               + f"; {(Path(settings.out) / 'quality' / 'index.html').resolve()}")
    indicators = result.metadata("indicators")
    if result.nothing_new:
        _print("Inget nytt: no new or changed file, and the settings and the code are those of the last "
               "refresh; nothing was recomputed, the report and the exports are left as they are")
    elif indicators is None:
        _print("Indicators: nothing to compute (no follow-ups stored, or none new with --only-new)")
    else:
        quarters = result.quarters
        _print(f"Quarters recomputed: {quarters[0]}–{quarters[-1]} ({len(quarters)})")
        _print(f"Indicators: {indicators['cells_in_table'].value} cells; {indicators['dagster/row_count'].value} "
               f"recomputed ({indicators['cells_suppressed'].value} of them under n={settings.min_n}), "
               f"{result.metadata('comparisons')['dagster/row_count'].value} comparisons, "
               f"{result.metadata('baselines')['dagster/row_count'].value} baselines")
        _print(f"Published: {result.metadata('published_indicators')['suppressed_secondary'].value or 0} more cells "
               "hidden so that no small cell can be recovered by subtraction")
    _print(f"Database: {Path(settings.db).resolve()}")
    if indicators is not None or result.nothing_new:
        _print(f"Report:   {(Path(settings.out) / 'report' / 'index.html').resolve()}")
        report = result.metadata("report") or {}
        if "image_note" in report and report["image_note"].value:
            _print(f"          {report['image_note'].value}")
        _print(f"Exports:  {(Path(settings.out) / 'exports').resolve()}")
    return EXIT_DATA if status["refused"] else EXIT_OK


# --- check -----------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    import duckdb

    from uiv_core.ingest.loading import inspect_export, short_list
    from uiv_core.ingest.reading import RefusedFile

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        _progress(f"uiv check: no such file: {', '.join(missing)}")
        return EXIT_USAGE
    worst = EXIT_OK
    today = dt.date.today()
    for name in args.files:
        con = duckdb.connect()  # in memory: check never writes anything
        try:
            inspection = inspect_export(con, Path(name), today)
        except RefusedFile as refusal:
            _print(f"{name}: would be REFUSED ({refusal.code}): {refusal.message}")
            worst = EXIT_USAGE
            con.close()
            continue
        raw = inspection.raw
        fmt = raw.file_format.upper()
        if raw.file_format == "csv":
            fmt += f", {raw.encoding}, delimiter {_delimiter_name(raw.delimiter)}"
        _print(f"{name} ({fmt})")
        _print(f"  rows read {raw.rows_read}, valid {inspection.rows_valid}, "
               f"would be quarantined {inspection.rows_quarantined}")
        if inspection.headers.extra:
            _print(f"  unknown columns (kept): {short_list(inspection.headers.extra)}")
        for code, count in sorted(inspection.reason_counts().items(), key=lambda kv: (-kv[1], kv[0])):
            _print(f"  {code:<22} {count:>8} rows")
        examples = inspection.failures.head(args.examples)
        if len(examples):
            _print("  first problems:")
            for row in examples.itertuples(index=False):
                _print(f"    line {row.line_number}, {row.column}: {row.reason}: {row.message}")
        con.close()
        if inspection.rows_quarantined and worst == EXIT_OK:
            worst = EXIT_DATA
    return worst


def _delimiter_name(delimiter: str | None) -> str:
    return {";": "';'", ",": "','", "\t": "tab"}.get(delimiter or "", "?")


# --- files -----------------------------------------------------------------------------------


def cmd_files(args: argparse.Namespace) -> int:
    from pipelines.settings import settings_from_env
    from uiv_core.opening import StoreBusy, open_store
    from uiv_core.sql import query

    settings = settings_from_env(db=args.db)
    if not Path(settings.db).is_file():
        _progress(f"uiv files: no database at {settings.db}; run `uiv refresh` first")
        return EXIT_USAGE
    try:
        con = open_store(settings.db, read_only=True, wait=args.wait, on_wait=_progress)
    except StoreBusy as busy:
        _progress(f"uiv files: {busy}")
        return EXIT_BUSY
    try:
        rows = con.execute(query("file_list")).fetchall()
    finally:
        con.close()
    _print(f"{'file':<40} {'status':<9} {'read':>8} {'loaded':>8} {'quar.':>6} {'repl.':>6}  loaded at")
    for name, status, read, loaded, quarantined, replaced, at, message in rows:
        _print(f"{name:<40} {status:<9} {read:>8} {loaded:>8} {quarantined:>6} {replaced:>6}  {at}")
        if status == "refused" or (message and args.verbose):
            _print(f"    {message}")
    _print(f"{len(rows)} files")
    return EXIT_OK


# --- sample ----------------------------------------------------------------------------------


def cmd_sample(args: argparse.Namespace) -> int:
    from data_samples.generate import write_large_csv, write_sample_exports

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.single_csv:
        path = out / f"followups_{args.rows}.csv"
        write_large_csv(path, rows=args.rows, seed=args.seed)
        _print(f"wrote {path}")
        return EXIT_OK
    paths = write_sample_exports(out, rows=args.rows, seed=args.seed)
    for path in paths:
        _print(f"wrote {path} ({path.stat().st_size} bytes)")
    return EXIT_OK


# --- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uiv",
        description="UIV follow-up pipeline: load municipal exports into DuckDB and publish indicators.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    refresh = commands.add_parser(
        "refresh", help="load new exports from the inbox and rebuild everything (through Dagster)",
        description="Materialize the asset graph in-process: load new inbox files, validate, store, check; "
        "then recompute the quarters (as one partition-range run) and publish. "
        "Exit 0 when every file loaded or was unchanged, 1 when a file was refused.",
    )
    refresh.add_argument("--inbox", help="folder of export files (default: $UIV_INBOX or data_samples/exports)")
    refresh.add_argument("--db", help="DuckDB file (default: $UIV_DB or data/uiv.duckdb)")
    refresh.add_argument("--out", help="output folder (default: $UIV_OUT or out)")
    refresh.add_argument("--min-n", type=int, help="minimum denominator for a published cell "
                         "(default: $UIV_MIN_N or 10)")
    refresh.add_argument("--peer-groups", metavar="CSV", help="peer groups: a CSV municipality_code;peer_group, or "
                         "'none' (default: $UIV_PEER_GROUPS or SKR's kommungruppsindelning 2023)")
    refresh.add_argument("--no-images", action="store_true",
                         help="skip the PNG/SVG chart images (they need a Chrome/Chromium; default: $UIV_IMAGES)")
    refresh.add_argument("--only-new", action="store_true",
                         help="recompute only the quarters the newly loaded files hold (default: every quarter)")
    refresh.set_defaults(run=cmd_refresh)

    check = commands.add_parser(
        "check", help="validate export files against the contract without writing anything",
        description="Exit 0: all rows valid; 1: some rows would be quarantined; 2: a file would be refused.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="CSV or XLSX export")
    check.add_argument("--examples", type=int, default=10, help="problems to show per file (default 10)")
    check.set_defaults(run=cmd_check)

    files = commands.add_parser("files", help="list loaded files with status and counts",
                                description="List the load_files table of the database.")
    files.add_argument("--db", help="DuckDB file (default: $UIV_DB or data/uiv.duckdb)")
    files.add_argument("-v", "--verbose", action="store_true", help="show every file's message")
    files.add_argument("--wait", action="store_true", help="wait while a refresh writes the store (default: exit 3)")
    files.set_defaults(run=cmd_files)

    sample = commands.add_parser(
        "sample", help="write seeded sample exports",
        description="Write the demo set of sample exports (several formats, a correction file, some "
        "broken rows), or with --single-csv one large UTF-8 CSV for benchmarks.",
    )
    sample.add_argument("--out", default="data_samples/exports", help="output folder")
    sample.add_argument("--rows", type=int, default=16000, help="number of rows (default 16000)")
    sample.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    sample.add_argument("--single-csv", action="store_true", help="one large CSV of --rows rows")
    sample.set_defaults(run=cmd_sample)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
