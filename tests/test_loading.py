"""Storing exports: nothing lost, idempotent, re-deliveries replace and keep history, load order."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import duckdb
import pytest

from conftest import LOAD_TIME, ingest, table_rows, valid_row, valid_rows, write_csv, write_xlsx


def _set_mtime(path, seconds):
    os.utime(path, (seconds, seconds))


def test_rows_read_equals_rows_loaded_plus_quarantined_for_every_file(store, inbox):
    rows = valid_rows(20)
    rows[4]["sex"] = "Q"
    rows[9]["municipality_code"] = "9999"
    write_csv(inbox / "a.csv", rows)
    write_xlsx(inbox / "b.xlsx", valid_rows(7, municipality_code="1280"))
    ingest(store, inbox)
    files = table_rows(store, "SELECT file_name, rows_read, rows_loaded, rows_quarantined FROM load_files ORDER BY 1")
    assert files == [("a.csv", 20, 18, 2), ("b.xlsx", 7, 7, 0)]
    assert all(read == loaded + quarantined for _, read, loaded, quarantined in files)
    assert table_rows(store, "SELECT count(*) FROM followups") == [(25,)]
    assert table_rows(store, "SELECT count(*) FROM quarantine") == [(2,)]


def test_quarantine_keeps_the_raw_row_reasons_and_line(store, inbox):
    rows = [dict(r, kommentar="") for r in valid_rows(3)]
    rows[1].update(sex="Q", kommentar="Söder")
    write_csv(inbox / "a.csv", rows, encoding="cp1252")
    ingest(store, inbox)
    ((line, reasons, columns, messages, raw, municipality, quarter),) = table_rows(
        store, "SELECT line_number, reason_codes, columns, messages, raw_row, municipality_code, quarter FROM quarantine")
    assert (line, reasons, columns, municipality, quarter) == (3, ["invalid_code"], ["sex"], "0180", "2025Q3")
    assert "kon (sex) 'Q'" in messages[0]
    raw = json.loads(raw)
    assert raw["kon"] == "Q" and raw["kommentar"] == "Söder" and raw["lopnr"] == "R00001"


def test_followups_are_typed_and_traceable_to_their_file(store, inbox):
    write_csv(inbox / "a.csv", [valid_row(rating_missbruk="9", satisfaction="")])
    ingest(store, inbox)
    row = table_rows(store, """
        SELECT quarter, followup_date, need_missbruk, need_krim, rating_missbruk, rating_boende, rating_krim,
               satisfaction, source_file, source_line, loaded_at, length(source_sha256)
        FROM followups""")[0]
    assert row == ("2025Q3", dt.date(2025, 9, 15), True, False, 9, 3, None, None, "a.csv", 2, LOAD_TIME, 64)


def test_loading_the_same_inbox_twice_changes_nothing(store, inbox):
    write_csv(inbox / "a.csv", valid_rows(10))
    ingest(store, inbox)
    before = {t: table_rows(store, f"SELECT * FROM {t} ORDER BY ALL") for t in
              ("load_files", "followups", "followups_history", "quarantine")}
    (outcome,) = ingest(store, inbox, when=LOAD_TIME + dt.timedelta(days=1))
    after = {t: table_rows(store, f"SELECT * FROM {t} ORDER BY ALL") for t in before}
    assert outcome.status == "unchanged"
    assert after == before


def test_the_same_content_under_another_name_is_recorded_as_unchanged(store, inbox):
    write_csv(inbox / "a.csv", valid_rows(10))
    ingest(store, inbox)
    shutil.copy(inbox / "a.csv", inbox / "a_copy.csv")
    outcomes = ingest(store, inbox)
    assert [o.status for o in outcomes if o.file_name == "a_copy.csv"] == ["unchanged"]
    assert table_rows(store, "SELECT file_name, status, rows_read FROM load_files ORDER BY loaded_at, file_name") == [
        ("a.csv", "loaded", 10), ("a_copy.csv", "unchanged", 0)]
    assert table_rows(store, "SELECT count(*) FROM followups") == [(10,)]


def test_a_redelivered_record_replaces_the_stored_one_and_the_old_goes_to_history(store, inbox):
    write_csv(inbox / "first.csv", valid_rows(5))
    ingest(store, inbox)
    correction = [valid_row(record_id="R00002", rating_missbruk="1", completed="avbrutet")]
    write_csv(inbox / "correction.csv", correction)
    (_, outcome) = ingest(store, inbox, when=LOAD_TIME + dt.timedelta(hours=1))
    assert (outcome.rows_loaded, outcome.rows_replaced) == (1, 1)
    assert table_rows(store, "SELECT count(*) FROM followups") == [(5,)]
    assert table_rows(store, "SELECT rating_missbruk, completed, source_file FROM followups WHERE record_id = 'R00002'") == [
        (1, "avbrutet", "correction.csv")]
    assert table_rows(store, "SELECT record_id, rating_missbruk, source_file, replaced_by_file FROM followups_history") == [
        ("R00002", 4, "first.csv", "correction.csv")]
    assert table_rows(store, "SELECT count(*) FROM (SELECT municipality_code, record_id FROM followups "
                             "GROUP BY ALL HAVING count(*) > 1)") == [(0,)]


def test_a_quarantined_redelivery_leaves_the_stored_version_current(store, inbox):
    write_csv(inbox / "first.csv", valid_rows(2))
    ingest(store, inbox)
    write_csv(inbox / "correction.csv", [valid_row(record_id="R00001", sex="Q")])
    ingest(store, inbox)
    assert table_rows(store, "SELECT source_file FROM followups WHERE record_id = 'R00001'") == [("first.csv",)]
    assert table_rows(store, "SELECT count(*) FROM followups_history") == [(0,)]


def test_files_load_in_order_of_modification_time_then_name(store, inbox):
    # b.csv is older than a.csv, so a.csv's version of R00000 is the later delivery
    write_csv(inbox / "b.csv", [valid_row(record_id="R00000", rating_missbruk="1")])
    write_csv(inbox / "a.csv", [valid_row(record_id="R00000", rating_missbruk="2")])
    write_csv(inbox / "c.csv", [valid_row(record_id="R00000", rating_missbruk="3")])
    _set_mtime(inbox / "b.csv", 1_000)
    _set_mtime(inbox / "a.csv", 2_000)
    _set_mtime(inbox / "c.csv", 2_000)  # same time as a.csv: name decides
    outcomes = ingest(store, inbox)
    assert [o.file_name for o in outcomes] == ["b.csv", "a.csv", "c.csv"]
    assert table_rows(store, "SELECT rating_missbruk FROM followups") == [(3,)]
    assert table_rows(store, "SELECT source_file, replaced_by_file FROM followups_history ORDER BY 1") == [
        ("a.csv", "c.csv"), ("b.csv", "a.csv")]


def test_a_refused_file_does_not_stop_the_others(store, inbox):
    write_csv(inbox / "bad.csv", [{k: v for k, v in valid_row().items() if k != "sex"}])
    write_csv(inbox / "good.csv", valid_rows(3))
    outcomes = {o.file_name: o for o in ingest(store, inbox)}
    assert outcomes["bad.csv"].status == "refused"
    assert "kon (sex)" in outcomes["bad.csv"].message
    assert outcomes["good.csv"].rows_loaded == 3
    # refused again (still in the inbox), but not recorded twice
    again = {o.file_name: o for o in ingest(store, inbox)}
    assert again["bad.csv"].status == "refused"
    assert table_rows(store, "SELECT count(*) FROM load_files WHERE status = 'refused'") == [(1,)]


def test_other_files_in_the_inbox_are_ignored(store, inbox):
    (inbox / "README.md").write_text("not an export")
    (inbox / ".hidden.csv").write_text("x")
    write_csv(inbox / "a.csv", valid_rows(2))
    assert [o.file_name for o in ingest(store, inbox)] == ["a.csv"]


def test_unknown_columns_are_kept_and_reported(store, inbox):
    write_csv(inbox / "a.csv", [dict(valid_row(), enhet="Söder")])
    (outcome,) = ingest(store, inbox)
    assert "enhet" in outcome.message
    assert table_rows(store, "SELECT extra_columns::VARCHAR, (SELECT extra_columns FROM load_files) FROM followups") == [
        ('{"enhet":"Söder"}', ["enhet"])]


def test_two_ingests_within_one_second_stay_two_ingests(tmp_path):
    """'The latest ingest' is the rows with the latest loaded_at: a second ingest in the same
    second (a fast machine, a sensor right after a refresh) gets a later stamp, so a file refused
    by the first is not counted against the second."""
    import duckdb

    from uiv_core.ingest.loading import ingest_inbox
    from uiv_core.sql import query

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", valid_rows(3))
    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    ingest_inbox(con, inbox, progress=lambda _: None)
    first = con.execute(query("run_stamp")).fetchall()[0][0]
    write_csv(inbox / "b.csv", valid_rows(3, prefix="B"))
    ingest_inbox(con, inbox, progress=lambda _: None)  # at once: usually within the same second
    second = con.execute(query("run_stamp")).fetchall()[0][0]
    con.close()
    assert second > first


def test_taking_in_files_bounds_duckdbs_memory_and_gives_it_back(tmp_path):
    """While files are taken in, a store in a file runs with DuckDB's memory limit lowered to
    INGEST_MEMORY_LIMIT (a 10 M-row export spills to `<db>.tmp` instead of growing); afterwards
    the store's own limit is back. An in-memory database is left alone: it has nowhere to spill."""
    from uiv_core.opening import INGEST_MEMORY_LIMIT, bounded_memory, memory_bytes

    assert memory_bytes("1500MB") == 1_500_000_000 and memory_bytes("9.5 GiB") == int(9.5 * 2**30)
    assert memory_bytes("512 KiB") == 512 * 1024
    with pytest.raises(ValueError):
        memory_bytes("lots")

    def limit(con):
        return memory_bytes(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    con = duckdb.connect(str(tmp_path / "uiv.duckdb"), config={"memory_limit": "8GB"})
    before = limit(con)
    with bounded_memory(con):
        assert limit(con) <= memory_bytes(INGEST_MEMORY_LIMIT) < before
    assert abs(limit(con) - before) <= 2**30 // 10  # DuckDB reads its limit out to 0.1 GiB
    con.execute("SET memory_limit = '1GB'")
    with bounded_memory(con):  # never raised
        assert limit(con) <= 10**9
    memory = duckdb.connect()
    untouched = limit(memory)
    with bounded_memory(memory):
        assert limit(memory) == untouched


def test_a_limit_duckdb_reads_out_in_an_unknown_way_is_left_alone(tmp_path):
    """An unlimited DuckDB (memory_limit -1) reads out its limit in PiB: taking in files lowers it
    like any other; a readout not understood leaves the limit as it is instead of failing."""
    from uiv_core.opening import INGEST_MEMORY_LIMIT, bounded_memory, memory_bytes

    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    con.execute("SET memory_limit = '-1'")
    with bounded_memory(con):
        lowered = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert memory_bytes(lowered) <= memory_bytes(INGEST_MEMORY_LIMIT)
    assert memory_bytes(con.execute("SELECT current_setting('memory_limit')").fetchone()[0]) > 2**50
