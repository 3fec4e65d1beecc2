"""The `uiv` command, run through its installed entry point as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import valid_row, valid_rows, write_csv

UIV = shutil.which("uiv", path=str(Path(sys.executable).parent))


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    assert UIV, "the uiv console script is not installed next to the test interpreter"
    return subprocess.run([UIV, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("command", ["refresh", "check", "files", "sample"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: uiv " + command in result.stdout


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("check", "/no/such/file.csv").returncode == 2
    assert run("refresh", "--inbox", "/no/such/folder").returncode == 2


def test_check_a_windows_1252_semicolon_export_with_swedish_headers(tmp_path):
    rows = [dict(r, kommentar="Öppenvård") for r in valid_rows(10)]
    rows[2]["sex"] = "Q"
    rows[7].update(municipality_code="9999", followup_date="2025-13-01")
    rows[8]["need_boende"] = "0"  # rating 3 stays: rating_without_need
    path = write_csv(tmp_path / "export.csv", rows, encoding="cp1252", delimiter=";")

    result = run("check", str(path))

    assert result.returncode == 1
    out = result.stdout
    assert "CSV, cp1252, delimiter ';'" in out
    assert "rows read 10, valid 7, would be quarantined 3" in out
    assert "invalid_code                  1 rows" in out
    assert "invalid_municipality          1 rows" in out
    assert "line 4, sex: invalid_code: kon (sex) 'Q'" in out
    assert "line 9, municipality_code: invalid_municipality" in out
    assert "line 9, followup_date: invalid_date" in out
    assert "line 10, rating_boende: rating_without_need" in out
    assert not (tmp_path / "data").exists()


def test_check_exits_0_for_a_clean_file_and_2_for_a_refused_one(tmp_path):
    assert run("check", str(write_csv(tmp_path / "ok.csv", valid_rows(3)))).returncode == 0
    bad = write_csv(tmp_path / "bad.csv", [{k: v for k, v in valid_row().items() if k != "record_id"}])
    result = run("check", str(bad))
    assert result.returncode == 2
    assert "lopnr (record_id)" in result.stdout


def test_refresh_summarises_and_files_lists_and_a_refused_file_exits_1(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = valid_rows(8)
    rows[1]["rating_missbruk"] = "7"
    write_csv(inbox / "a.csv", rows)
    db = tmp_path / "uiv.duckdb"

    first = run("refresh", "--inbox", str(inbox), "--db", str(db), "--out", str(tmp_path / "out"))
    assert first.returncode == 0, first.stderr
    assert "Files: 1 loaded, 0 unchanged, 0 refused" in first.stdout
    assert "Rows: 7 loaded, 1 quarantined" in first.stdout
    assert "invalid_rating                1" in first.stdout
    assert "a.csv: 7 rows loaded, 1 quarantined" in first.stderr  # progress

    write_csv(inbox / "b.csv", [{k: v for k, v in valid_row().items() if k != "sex"}])
    second = run("refresh", "--inbox", str(inbox), "--db", str(db), "--out", str(tmp_path / "out"))
    assert second.returncode == 1
    assert "Files: 0 loaded, 1 unchanged, 1 refused" in second.stdout
    assert "REFUSED b.csv: missing_columns" in second.stdout

    listing = run("files", "--db", str(db))
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert any(line.startswith("a.csv") and "loaded" in line and " 8 " in line for line in lines)
    assert any(line.startswith("b.csv") and "refused" in line for line in lines)


def test_files_without_a_database_says_what_to_do(tmp_path):
    result = run("files", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert "uiv refresh" in result.stderr


def test_refresh_takes_min_n_and_peer_groups_and_reports_the_indicator_tables(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", valid_rows(30) + valid_rows(12, municipality_code="1280", prefix="S"))
    peers = tmp_path / "peers.csv"
    peers.write_text("municipality_code;peer_group\n0180;Storstäder\n1280;Storstäder\n", encoding="utf-8")
    db = tmp_path / "uiv.duckdb"
    result = run("refresh", "--inbox", str(inbox), "--db", str(db), "--out", str(tmp_path / "out"),
                 "--min-n", "20", "--peer-groups", str(peers))
    assert result.returncode == 0, result.stderr
    assert "under n=20" in result.stdout
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    suppressed = dict(con.execute("""SELECT unit_code, suppressed FROM indicators WHERE indicator_id = 'dropout_share'
        AND period_type = 'quarter' AND breakdown = 'alla' AND target_group = 'alla'""").fetchall())
    con.close()
    assert suppressed == {"0180": False, "1280": True, "0001": False, "0012": True, "0000": False, "Storstäder": False}


def test_refresh_rejects_a_bad_min_n_and_a_missing_peer_file(tmp_path):
    assert run("refresh", "--min-n", "0").returncode == 2
    result = run("refresh", "--peer-groups", str(tmp_path / "none.csv"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_refresh_only_new_recomputes_the_new_files_quarters_and_nothing_when_none_arrived(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", valid_rows(12))  # 2025Q3
    db, out = tmp_path / "uiv.duckdb", tmp_path / "out"
    first = run("refresh", "--inbox", str(inbox), "--db", str(db), "--out", str(out), "--only-new")
    assert first.returncode == 0, first.stderr
    assert "Quarters recomputed: 2025Q3–2025Q3 (1)" in first.stdout
    assert "Quality: " in first.stdout and str(out / "quality" / "index.html") in first.stdout

    again = run("refresh", "--inbox", str(inbox), "--db", str(db), "--out", str(out), "--only-new")
    assert again.returncode == 0, again.stderr
    assert "Files: 0 loaded, 1 unchanged, 0 refused" in again.stdout
    assert "Inget nytt" in again.stdout and "Indicators:" not in again.stdout
