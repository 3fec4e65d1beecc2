"""Shared helpers: a valid follow-up row, and writers for exports in every accepted form."""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from uiv_schema.codes import AREAS
from uiv_schema.columns import COLUMN_NAMES, SWEDISH_HEADER

LOAD_TIME = dt.datetime(2026, 11, 23, 12, 0, 0)

#: `uiv refresh` records its runs in the shared Dagster instance ($DAGSTER_HOME, default .dagster/
#: in the working directory); the tests' runs go to a temporary one instead of the project's.
os.environ["DAGSTER_HOME"] = tempfile.mkdtemp(prefix="uiv-dagster-home-")
atexit.register(shutil.rmtree, os.environ["DAGSTER_HOME"], True)


def benchmark_cell(alias: str, comparison: str = "c") -> str:
    """SQL condition: the cell `alias` is the benchmark cell of the comparison row `comparison`."""
    pairs = [("unit_code", "benchmark_unit_code"), ("unit_type", "benchmark_unit_type"),
             *((key, key) for key in ("period", "period_type", "target_group", "breakdown", "breakdown_value",
                                      "indicator_id"))]
    return " AND ".join(f"{alias}.{own} = {comparison}.{other}" for own, other in pairs)


def valid_row(**changes) -> dict[str, str]:
    """A follow-up that satisfies the contract, by canonical column name; `changes` override."""
    row = {
        "record_id": "R0001",
        "municipality_code": "0180",
        "followup_date": "2025-09-15",
        "start_date": "2025-02-01",
        "sex": "K",
        "age_group": "35-44",
        "target_group": "missbruk",
        "main_substance": "alkohol",
        "intervention": "oppenvard",
        "completed": "ja",
        **{f"need_{a}": "0" for a in AREAS},
        **{f"rating_{a}": "" for a in AREAS},
        "satisfaction": "4",
    }
    row.update(need_missbruk="1", rating_missbruk="4", need_boende="1", rating_boende="3")
    row.update(changes)
    return row


def valid_rows(n: int, municipality_code: str = "0180", prefix: str = "R") -> list[dict[str, str]]:
    return [valid_row(record_id=f"{prefix}{i:05d}", municipality_code=municipality_code) for i in range(n)]


def write_csv(path: Path, rows: list[dict], *, encoding="utf-8", delimiter=";", swedish=True,
              extra_header: list[str] | None = None) -> Path:
    """An export as a municipality's system writes it (csv module: a writer, not a parser)."""
    names = list(rows[0].keys()) if rows else list(COLUMN_NAMES)
    headers = [SWEDISH_HEADER.get(n, n) if swedish else n for n in names]
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(n, "") for n in names])
    return path


def write_xlsx(path: Path, rows: list[dict], *, swedish=True, numeric_codes=True) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    names = list(rows[0].keys())
    sheet.append([SWEDISH_HEADER.get(n, n) if swedish else n for n in names])
    for row in rows:
        values = []
        for name in names:
            value = row.get(name, "")
            if numeric_codes and name == "municipality_code" and value.isdigit():
                value = int(value)  # as Excel stores it: 0180 → 180
            elif name.endswith("_date") and len(value) == 10 and value[4] == "-":
                value = dt.date.fromisoformat(value)
            elif value == "":
                value = None
            values.append(value)
        sheet.append(values)
    workbook.save(path)
    return path


@pytest.fixture
def store(tmp_path):
    """A real DuckDB file with the ingest schema."""
    from uiv_core.ingest.store import ensure_schema

    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    ensure_schema(con)
    yield con
    con.close()


@pytest.fixture
def inbox(tmp_path):
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def ingest(con, inbox: Path, when: dt.datetime = LOAD_TIME):
    from uiv_core.ingest.loading import ingest_inbox

    return ingest_inbox(con, inbox, loaded_at=when, progress=lambda _: None)


def table_rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


SAMPLE_EXPORTS = Path(__file__).resolve().parent.parent / "data_samples" / "exports"
#: The peer groups the tests configure on the sample (none are configured by default).
SAMPLE_PEERS = {"0180": "Storstäder", "1280": "Storstäder", "1480": "Storstäder", "0380": "Större städer",
                "1283": "Större städer", "1281": "Större städer"}


def write_peer_groups(folder: Path) -> Path:
    path = Path(folder) / "peers.csv"
    path.write_text("municipality_code;peer_group\n" + "".join(f"{c};{g}\n" for c, g in SAMPLE_PEERS.items()),
                    encoding="utf-8")
    return path


_SAMPLE_STORES: dict[tuple[int, bool], Path] = {}


def build_sample_store(folder: Path, min_n: int = 10, publish: bool = False) -> duckdb.DuckDBPyConnection:
    """The sample exports loaded into `folder`/uiv.duckdb with the sample peer groups, and the
    indicator, comparison and baseline tables built (and the published ones with `publish`).

    Built once per test session for each (min n, publish) and copied into `folder` after that:
    the demo's publication (the disclosure audit) takes minutes, and every module gets a file of
    its own to change as it likes."""
    built = _SAMPLE_STORES.get((min_n, publish))
    if built is None:
        built = Path(tempfile.mkdtemp(prefix="uiv-sample-store-"))
        atexit.register(shutil.rmtree, built, True)  # gone with the test session
        _build_sample_store(built, min_n, publish).close()
        _SAMPLE_STORES[(min_n, publish)] = built
    Path(folder).mkdir(parents=True, exist_ok=True)
    for name in ("uiv.duckdb", "peers.csv"):
        if (built / name).exists():
            shutil.copyfile(built / name, Path(folder) / name)
    return duckdb.connect(str(Path(folder) / "uiv.duckdb"))


def _build_sample_store(folder: Path, min_n: int, publish: bool) -> duckdb.DuckDBPyConnection:
    from uiv_core.cells.adjusted import build_adjusted
    from uiv_core.cells.baselines import build_baselines
    from uiv_core.cells.comparisons import build_comparisons
    from uiv_core.cells.indicators import build_indicators, load_peer_groups
    from uiv_core.publish.publication import build_publication
    from uiv_core.ingest.store import ensure_schema

    con = duckdb.connect(str(Path(folder) / "uiv.duckdb"))
    ensure_schema(con)
    ingest(con, SAMPLE_EXPORTS)
    build_indicators(con, min_n, load_peer_groups(str(write_peer_groups(folder))))
    build_adjusted(con, min_n)
    build_comparisons(con)
    build_baselines(con)
    if publish:
        build_publication(con)
    return con
