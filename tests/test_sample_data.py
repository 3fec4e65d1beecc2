"""The committed sample exports: reproducible from the generator, small, and rich enough for the demo."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from conftest import ingest, table_rows
from data_samples.generate import generate_followups, write_sample_exports
from uiv_schema.codes import TARGET_GROUPS
from uiv_schema.municipalities import municipalities
from uiv_schema.reasons import REASON_CODES

EXPORTS = Path(__file__).resolve().parent.parent / "data_samples" / "exports"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_committed_samples_are_what_the_generator_writes(tmp_path):
    written = write_sample_exports(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in EXPORTS.iterdir())
    for path in written:
        assert _digest(path) == _digest(EXPORTS / path.name), path.name


def test_the_samples_stay_under_5_mb():
    assert sum(p.stat().st_size for p in EXPORTS.iterdir()) < 5_000_000


def test_the_generator_is_seeded():
    assert generate_followups(500, seed=7).equals(generate_followups(500, seed=7))
    assert not generate_followups(500, seed=7).equals(generate_followups(500, seed=8))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    con = duckdb.connect(str(folder / "uiv.duckdb"))
    from uiv_core.ingest.store import ensure_schema

    ensure_schema(con)
    outcomes = ingest(con, EXPORTS)
    yield con, outcomes
    con.close()


def test_the_demo_covers_formats_counties_quarters_and_target_groups(demo_store):
    con, outcomes = demo_store
    assert [o.status for o in outcomes] == ["loaded"] * len(outcomes)
    formats = set(table_rows(con, "SELECT file_format, encoding, delimiter FROM load_files"))
    assert {("csv", "cp1252", ";"), ("csv", "utf-8", ","), ("csv", "utf-8-sig", "\t")} <= formats
    assert ("xlsx", None, None) in formats
    codes = [c for (c,) in table_rows(con, "SELECT DISTINCT municipality_code FROM followups")]
    assert len(codes) >= 20
    assert len({municipalities()[c].county_code for c in codes}) >= 3
    assert table_rows(con, "SELECT count(DISTINCT quarter) FROM followups") == [(8,)]
    groups = {g for (g,) in table_rows(con, "SELECT DISTINCT target_group FROM followups")}
    assert groups == set(TARGET_GROUPS)


def test_the_demo_shows_every_reason_code_and_a_correction(demo_store):
    con, outcomes = demo_store
    reasons = {r for (r,) in table_rows(con, "SELECT DISTINCT unnest(reason_codes) FROM quarantine")}
    assert reasons == set(REASON_CODES)
    assert sum(o.rows_replaced for o in outcomes) == 50
    assert table_rows(con, "SELECT count(*) FROM followups_history") == [(50,)]
    # a lost leading zero from the XLSX file was restored
    assert table_rows(con, "SELECT count(*) > 0 FROM followups WHERE municipality_code = '0180' AND source_file LIKE '%.xlsx'") == [(True,)]


def test_improvement_really_differs_between_municipalities(demo_store):
    con, _ = demo_store
    shares = table_rows(con, """
        SELECT municipality_code, avg(CASE WHEN rating_missbruk >= 3 THEN 1.0 ELSE 0 END) AS share
        FROM followups WHERE need_missbruk AND rating_missbruk BETWEEN 1 AND 4
        GROUP BY 1 HAVING count(*) >= 200""")
    values = [s for _, s in shares]
    assert max(values) - min(values) > 0.15
