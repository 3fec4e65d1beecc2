"""Orchestration: the inbox sensor, the quarterly schedule, quarterly partitions (a quarter's run
leaves every other quarter's rows untouched; incremental equals a full rebuild) and the data-set
checks (each fails on a crafted bad data set; the sample passes them, see test_published_files)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.resources import UivFolders
from conftest import LOAD_TIME, valid_row, write_csv
from pipelines.settings import Settings
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.cells.indicators import build_indicator_sums, build_indicators, load_peer_groups, update_indicators
from uiv_core.ingest.loading import ingest_inbox
from uiv_core.ingest.quality import QualityBounds, quarantine_share_check, run_expectations

SAMPLE = Path(__file__).resolve().parent.parent / "data_samples" / "exports"


def rows_for(quarter_dates: dict[str, int], municipality: str = "0180", prefix: str = "R") -> list[dict]:
    """`count` valid rows per follow-up date (a date per quarter)."""
    rows = []
    for date, count in quarter_dates.items():
        rows += [valid_row(record_id=f"{prefix}{date}-{i:04d}", municipality_code=municipality, followup_date=date,
                           rating_missbruk=str(1 + i % 4))
                 for i in range(count)]
    return rows


# --- the sensor --------------------------------------------------------------------------------

def evaluate_sensor(inbox: Path, cursor: str | None, instance: dg.DagsterInstance | None = None,
                    db: str = "no-store.duckdb"):
    from assets.resources import UivStore
    from pipelines.sensors import inbox_sensor

    context = dg.build_sensor_context(cursor=cursor, instance=instance or dg.DagsterInstance.ephemeral(),
                                      resources={"folders": UivFolders(inbox=str(inbox), out="out"),
                                                 "duckdb": UivStore(database=db)})
    return inbox_sensor(context)


def test_a_delivery_asks_for_one_run_over_its_quarters_and_nothing_twice(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", rows_for({"2025-05-10": 3, "2025-08-20": 2}))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("quarter", ["2025Q4"])  # known from an earlier run

    first = evaluate_sensor(inbox, None, instance)
    [request] = first.run_requests
    assert request.job_name == "refresh" and request.partition_key is None
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) \
        == ("2025Q2", "2025Q3")
    assert "a.csv@" in request.tags["uiv/files"]
    # registered in calendar order, before the quarter that was there first
    assert instance.get_dynamic_partitions("quarter") == ["2025Q2", "2025Q3", "2025Q4"]

    again = evaluate_sensor(inbox, first.cursor, instance)
    assert again.run_requests == []  # asked for already (Dagster would not start the same run key twice either)
    os.utime(inbox / "a.csv", ns=(1, 1))  # touched, same content: the cached sha256 and quarters are kept
    touched = evaluate_sensor(inbox, again.cursor, instance)
    assert touched.run_requests == []
    cached = json.loads(touched.cursor)["files"]["a.csv"]
    assert cached["sha256"] == json.loads(again.cursor)["files"]["a.csv"]["sha256"]
    assert cached["stamp"].startswith("1:") and cached["quarters"] == ["2025Q2", "2025Q3"]

    write_csv(inbox / "b.csv", rows_for({"2026-02-02": 4}, prefix="B"))
    [later] = evaluate_sensor(inbox, again.cursor, instance).run_requests
    # no store has taken a.csv in yet (its run never ran here), so the new run carries it too
    assert "b.csv@" in later.tags["uiv/files"] and "a.csv@" in later.tags["uiv/files"]
    assert later.tags["dagster/asset_partition_range_end"] == "2026Q1"


def test_a_file_whose_quarters_cannot_be_read_asks_for_an_ingest_run_that_reports_the_refusal(tmp_path):
    from pipelines.definitions import defs

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.csv").write_bytes(b"\x00\x01\x02 not an export \xff\xfe")
    result = evaluate_sensor(inbox, None)
    assert [(r.job_name, r.partition_key) for r in result.run_requests] == [("ingest_only", None)]
    assert "dagster/asset_partition_range_start" not in result.run_requests[0].tags

    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))
    from pipelines.resources import build_resources

    job = defs.resolve_job_def("ingest_only")
    run = job.execute_in_process(resources=build_resources(settings), raise_on_error=False,
                                 instance=dg.DagsterInstance.ephemeral())
    assert run.success  # the refusal does not fail the run: it fails the no_refused_files check
    checks = {e.check_name: e for e in run.get_asset_check_evaluations()}
    assert not checks["no_refused_files"].passed
    assert checks["no_refused_files"].metadata["details"].value == {"refused_files": {"broken.csv": "unreadable"}}


def test_the_quarterly_schedule_asks_for_one_run_over_every_quarter(tmp_path):
    from pipelines.schedules import full_refresh_request, quarterly_refresh

    assert quarterly_refresh.cron_schedule == "0 6 1 1,4,7,10 *"
    assert quarterly_refresh.execution_timezone == "Europe/Stockholm"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", rows_for({"2025-05-10": 3, "2025-08-20": 2, "2025-12-01": 1}))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("quarter", ["2025Q1"])  # known from an earlier run
    request = full_refresh_request(instance, inbox, run_key="2026-01-01")
    assert request.tags["dagster/asset_partition_range_start"] == "2025Q1"
    assert request.tags["dagster/asset_partition_range_end"] == "2025Q4"
    assert instance.get_dynamic_partitions("quarter") == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert isinstance(full_refresh_request(dg.DagsterInstance.ephemeral(), empty), dg.SkipReason)


# --- partitions ----------------------------------------------------------------------------------

def snapshot(con, table: str, where: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY ALL").fetchall()


def test_a_quarter_partition_run_replaces_that_quarter_and_leaves_the_others_untouched(tmp_path):
    from assets.indicators import indicator_sums, indicators
    from pipelines.refresh import run_refresh
    from pipelines.resources import build_resources

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    dates = {"2024-11-05": 12, "2025-02-05": 12, "2025-05-05": 12, "2025-08-05": 12, "2025-11-05": 12}
    write_csv(inbox / "a.csv", rows_for(dates) + rows_for(dates, municipality="1280", prefix="M"))
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))
    instance = dg.DagsterInstance.ephemeral()
    assert run_refresh(settings, instance=instance, run_config=None).success

    con = duckdb.connect(settings.db)
    # Change follow-ups behind the pipeline's back in two quarters; recompute only 2025Q3.
    con.execute("UPDATE followups SET rating_missbruk = 1 WHERE quarter IN ('2025Q1', '2025Q3')")
    others = "quarter <> '2025Q3'"
    untouched = "NOT (period IN ('2025Q3', '2025') OR (period_type = 'rolling4q' AND period >= '2025Q3'))"
    sums_before, cells_before = snapshot(con, "indicator_sums", others), snapshot(con, "indicators", untouched)
    q3_before = snapshot(con, "indicators", "period = '2025Q3' AND period_type = 'quarter'")
    con.close()

    sums_and_cells = [indicator_sums, indicators]
    run = dg.materialize(sums_and_cells, partition_key="2025Q3", instance=instance,
                         resources=build_resources(settings), run_config=None)
    assert run.success

    con = duckdb.connect(settings.db, read_only=True)
    assert snapshot(con, "indicator_sums", others) == sums_before  # 2025Q1 still has the old sums
    assert snapshot(con, "indicators", untouched) == cells_before
    q3_after = snapshot(con, "indicators", "period = '2025Q3' AND period_type = 'quarter'")
    assert q3_after != q3_before and len(q3_after) == len(q3_before)
    recomputed = con.execute("SELECT DISTINCT period_type || ' ' || period FROM indicators ORDER BY 1").fetchall()
    con.close()
    assert ("rolling4q 2025Q4",) in recomputed and ("year 2025",) in recomputed


@pytest.fixture(scope="module")
def four_files_loaded(tmp_path_factory):
    """The sample without its correction file, loaded and built in full."""
    folder = tmp_path_factory.mktemp("incremental")
    inbox = folder / "inbox"
    inbox.mkdir()
    for path in sorted(SAMPLE.iterdir()):
        if "rattelse" not in path.name:
            shutil.copy2(path, inbox / path.name)
    con = duckdb.connect(str(folder / "uiv.duckdb"))
    ingest_inbox(con, inbox, loaded_at=LOAD_TIME, progress=lambda _: None)
    build_indicators(con, 10, load_peer_groups(None))
    assert build_comparisons(con, incremental=True).whole  # no keys yet: the whole table
    con.close()
    return folder


def test_recomputing_the_changed_quarters_equals_a_full_rebuild(four_files_loaded, tmp_path):
    from data_samples.generate import generate_followups, write_csv as write_generated

    db = tmp_path / "uiv.duckdb"
    shutil.copy(four_files_loaded / "uiv.duckdb", db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(next(SAMPLE.glob("*rattelse*")), inbox)  # re-delivers 50 records of 2025Q2
    write_generated(generate_followups(800, seed=7, municipality_codes=["0180", "1280", "1480"],
                                       quarters=["2026Q4"]), inbox / "new_quarter.csv")
    con = duckdb.connect(str(db))
    outcomes = ingest_inbox(con, inbox, loaded_at=LOAD_TIME, progress=lambda _: None)
    # The correction moves some records out of 2024Q4: the file touches that quarter too.
    assert sorted({q for o in outcomes for q in o.quarters}) == ["2024Q4", "2025Q2", "2026Q4"]
    changed = ["2025Q2", "2026Q4"]  # what the files' own rows hold (all a sensor can see)
    build_indicator_sums(con, changed)
    update = update_indicators(con, 10, load_peer_groups(None), changed)
    assert not update.full
    assert ("rolling4q", "2026Q4") in update.periods and ("rolling4q", "2025Q4") in update.periods
    assert ("quarter", "2025Q1") not in update.periods
    assert ("quarter", "2024Q4") in update.periods  # caught up: its follow-ups changed
    con.execute("CREATE TABLE incremental_sums AS SELECT * FROM indicator_sums")
    con.execute("CREATE TABLE incremental AS SELECT * FROM indicators")
    assert build_indicators(con, 10, load_peer_groups(None)) == update.cells
    for mine, full in (("incremental_sums", "indicator_sums"), ("incremental", "indicators")):
        differ = con.execute(f"SELECT count(*) FROM ((FROM {mine} EXCEPT ALL FROM {full}) "
                             f"UNION ALL (FROM {full} EXCEPT ALL FROM {mine}))").fetchall()[0][0]
        assert differ == 0, mine
    con.close()


def test_the_comparisons_rewrite_exactly_the_periods_a_changed_quarter_reaches(four_files_loaded, tmp_path):
    """A new quarter (2026Q4), then the correction: the comparisons rewrite the periods of the
    quarters whose follow-ups changed, their years, the rolling windows holding them and every
    quarter and window whose eight quarters of trend read one of them; the rest stay as stored,
    and each time the table equals a whole rebuild. Nothing new: nothing written."""
    from data_samples.generate import generate_followups, write_csv as write_generated
    from uiv_core.quarters import quarter_index

    db = tmp_path / "uiv.duckdb"
    shutil.copy(four_files_loaded / "uiv.duckdb", db)
    con = duckdb.connect(str(db))
    state = "SELECT quarter, fingerprint FROM indicators_state"
    kept = "FROM comparison_results WHERE period = '2025Q1' AND period_type = 'quarter'"
    before = con.execute(f"SELECT * {kept} ORDER BY ALL").fetchall()
    new_quarter = generate_followups(800, seed=7, municipality_codes=["0180", "1280", "1480"], quarters=["2026Q4"])
    new_quarter["record_id"] = "N" + new_quarter["record_id"].astype(str)  # new records, not re-deliveries
    correction = next(SAMPLE.glob("*rattelse*"))  # re-delivers 50 records of 2025Q2
    for step, (deliver, touched) in enumerate([
            (lambda inbox: write_generated(new_quarter, inbox / "new_quarter.csv"), ["2026Q4"]),
            (lambda inbox: shutil.copy2(correction, inbox), ["2025Q2"])]):
        inbox = tmp_path / f"inbox{step}"
        inbox.mkdir()
        deliver(inbox)
        fingerprints = dict(con.execute(state).fetchall())
        ingest_inbox(con, inbox, loaded_at=LOAD_TIME, progress=lambda _: None)
        build_indicator_sums(con, touched)
        update_indicators(con, 10, load_peer_groups(None), touched)
        update = build_comparisons(con, incremental=True)
        changed = sorted(q for q, f in con.execute(state).fetchall() if fingerprints.get(q) != f)
        periods = con.execute("SELECT DISTINCT period, period_type FROM indicators WHERE unit_type = 'kommun'").fetchall()
        reached = {f"{p} {kind}" for p, kind in periods
                   if (kind == "year" and p in {q[:4] for q in changed})
                   or (kind != "year" and any(0 <= quarter_index(p) - quarter_index(q) < 8 for q in changed))}
        assert not update.whole and set(update.rebuilt) == reached, step
        assert build_comparisons(con, incremental=True).rebuilt == []  # nothing new
        con.execute("CREATE OR REPLACE TABLE incremental_comparisons AS SELECT * FROM comparison_results")
        assert build_comparisons(con).whole
        differ = con.execute("SELECT count(*) FROM ((FROM incremental_comparisons EXCEPT ALL FROM comparison_results) "
                             "UNION ALL (FROM comparison_results EXCEPT ALL FROM incremental_comparisons))").fetchall()
        assert differ == [(0,)] and con.execute("SELECT count(*) FROM comparison_results").fetchall()[0][0] > 10_000
        assert con.execute(f"SELECT * {kept} ORDER BY ALL").fetchall() == before != []  # before both
        if step == 0:  # the new quarter alone: its own periods
            assert reached == {"2026Q4 quarter", "2026 year", "2026Q4 rolling4q"}
        else:  # 50 replaced records (an even number once left the fingerprint unchanged: _fingerprint.sql)
            assert changed == ["2025Q2"] and {"2025 year", "2026Q4 rolling4q"} <= reached
    con.close()


# --- the data-set checks on crafted bad data -----------------------------------------------------

def crafted_store(tmp_path, rows: list[dict]) -> duckdb.DuckDBPyConnection:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "crafted.csv", rows)
    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    ingest_inbox(con, inbox, loaded_at=LOAD_TIME, progress=lambda _: None)
    return con


def outcome(con, name: str):
    outcomes = run_expectations(con, QualityBounds())
    return next(o for o in outcomes if o.name == name)


def steady(municipality: str, prefix: str, latest: int = 20) -> list[dict]:
    return rows_for({"2025-05-05": 20, "2025-08-05": latest}, municipality=municipality, prefix=prefix)


def test_the_contract_check_fails_when_a_file_quarantines_too_many_rows(tmp_path):
    rows = steady("0180", "A")
    for row in rows[:5]:
        row["rating_missbruk"] = "7"  # invalid_rating: 5 of 40 rows = 12.5 %
    con = crafted_store(tmp_path, rows)
    failed = quarantine_share_check(con, QualityBounds())
    assert not failed.passed and failed.details["files_over_bound"] == {"crafted.csv": 0.125}
    assert quarantine_share_check(con, QualityBounds(max_quarantine_share=0.2)).passed


def test_row_counts_against_the_previous_quarter_and_vanished_municipalities_fail(tmp_path):
    rows = steady("0180", "A") + steady("1280", "B", latest=4) + rows_for({"2025-05-05": 15}, "1480", "C")
    con = crafted_store(tmp_path, rows)
    counts = outcome(con, "rows_per_municipality")
    assert not counts.passed and counts.details["municipalities"] == ["1280", "1480"]
    vanished = outcome(con, "no_municipality_vanished")
    assert not vanished.passed and vanished.details["municipalities"] == ["1480"]


def test_incomplete_ratings_fail_the_completeness_check(tmp_path):
    rows = steady("0180", "A")
    for row in rows[20:30]:
        row["rating_missbruk"] = ""  # half the latest quarter's substance-use needs unrated
    con = crafted_store(tmp_path, rows)
    assert not outcome(con, "ratings_complete").passed
    assert outcome(con, "rating_means_plausible").passed


def test_ratings_off_the_scale_and_implausible_means_fail(tmp_path):
    rows = steady("0180", "A")
    for row in rows[20:]:
        row["rating_missbruk"], row["rating_boende"] = "4", "4"  # everyone markedly better
    con = crafted_store(tmp_path, rows)
    assert outcome(con, "ratings_plausible").passed
    assert not outcome(con, "rating_means_plausible").passed
    con.execute("UPDATE followups SET rating_boende = 6 WHERE record_id = (SELECT max(record_id) FROM followups)")
    off_scale = outcome(con, "ratings_plausible")
    assert not off_scale.passed and off_scale.expectations[0]["examples"] == [6]


def test_the_checks_run_as_dagster_asset_checks_and_write_the_quality_page(tmp_path):
    from pipelines.refresh import run_refresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", steady("0180", "A") + rows_for({"2025-05-05": 15}, "1480", "C"))
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))
    result = run_refresh(settings, run_config=None)
    checks = dict(result.checks())
    assert checks["no_municipality_vanished"] is False and checks["contract_quarantine_share"] is True
    page = (tmp_path / "out" / "quality" / "index.html").read_text(encoding="utf-8")
    assert "Underkänd" in page and "5 av 7 kontroller godkända" in page  # vanished: ratio 0 too
