"""Personal identity numbers: detected in every form of the contract, checked with Luhn and a real
date (or a coordination-number day), refused before anything is stored, never echoed."""

from __future__ import annotations

import duckdb
import pytest

from conftest import ingest, table_rows, valid_row, valid_rows, write_csv, write_xlsx
from uiv_core.ingest.identity_numbers import identity_number_form, luhn_valid


def with_check_digit(nine: str) -> str:
    """The Luhn check digit appended to YYMMDDNNN."""
    return next(nine + d for d in "0123456789" if luhn_valid(nine + d))


PERSONNUMMER = with_check_digit("811218987")  # 8112189876, Skatteverket's classic example
COORDINATION = with_check_digit("811278987")  # day 78 = 18 + 60


def test_the_check_digit_helper_agrees_with_a_known_number():
    assert PERSONNUMMER == "8112189876"
    assert luhn_valid("8112189876") and not luhn_valid("8112189877")


@pytest.mark.parametrize("text,form", [
    (f"{PERSONNUMMER[:6]}-{PERSONNUMMER[6:]}", "YYMMDD-NNNN"),
    (f"{PERSONNUMMER[:6]}+{PERSONNUMMER[6:]}", "YYMMDD+NNNN"),
    (f"19{PERSONNUMMER[:6]}-{PERSONNUMMER[6:]}", "YYYYMMDD-NNNN"),
    (f"19{PERSONNUMMER}", "YYYYMMDDNNNN"),
    (f"{COORDINATION[:6]}-{COORDINATION[6:]}", "YYMMDD-NNNN"),
    (f"19{COORDINATION}", "YYYYMMDDNNNN"),
    (f"pnr 19{PERSONNUMMER[:6]}-{PERSONNUMMER[6:]} i fritext", "YYYYMMDD-NNNN"),
])
def test_identity_numbers_in_every_form_are_found(text, form):
    assert identity_number_form(text) == form


@pytest.mark.parametrize("text", [
    PERSONNUMMER,  # a bare 10-digit id (YYMMDDNNNN is not one of the contract's forms)
    "8112189877",  # 10-digit record id failing Luhn
    "811218-9877",  # right form, fails Luhn
    "19811218-9877",
    with_check_digit("811318987")[:6] + "-" + with_check_digit("811318987")[6:],  # month 13
    with_check_digit("810230987")[:6] + "-" + with_check_digit("810230987")[6:],  # 30 February
    with_check_digit("811292987")[:6] + "-" + with_check_digit("811292987")[6:],  # day 92: no coordination day
    "2025-09-15", "20250915", "15/09/2025",  # dates
    "1198112189876",  # 13 digits: part of a longer number
    "R000123",
])
def test_near_misses_are_not_identity_numbers(text):
    assert identity_number_form(text) is None


def test_a_leap_day_is_a_real_date_in_either_century():
    assert identity_number_form(with_check_digit("000229123")[:6] + "-" + with_check_digit("000229123")[6:])
    assert identity_number_form("19" + with_check_digit("010229123")) is None  # 1901 had no 29 Feb


@pytest.mark.parametrize("column", ["record_id", "kommentar"])
def test_a_file_with_an_identity_number_is_refused_before_anything_is_written(store, inbox, column):
    secret = f"19{PERSONNUMMER[:6]}-{PERSONNUMMER[6:]}"
    rows = [dict(r, kommentar="") for r in valid_rows(5)]
    rows[3][column] = secret
    write_csv(inbox / "export.csv", rows)

    (outcome,) = ingest(store, inbox)

    assert outcome.status == "refused"
    assert "identity number" in outcome.message
    expected_column = "lopnr" if column == "record_id" else "kommentar"
    assert f"column {expected_column}, line 5" in outcome.message
    assert secret not in outcome.message and PERSONNUMMER not in outcome.message
    assert table_rows(store, "SELECT count(*) FROM followups") == [(0,)]
    assert table_rows(store, "SELECT count(*) FROM quarantine") == [(0,)]
    assert table_rows(store, "SELECT status, rows_read, rows_loaded FROM load_files") == [("refused", 0, 0)]
    everything = str(table_rows(store, "SELECT * FROM load_files"))
    assert PERSONNUMMER[6:] not in everything


def test_an_identity_number_in_a_row_that_breaks_other_rules_still_refuses_the_file(store, inbox):
    rows = valid_rows(3)
    rows[1].update(municipality_code="9999", record_id=f"{COORDINATION[:6]}-{COORDINATION[6:]}")
    write_csv(inbox / "export.csv", rows)
    (outcome,) = ingest(store, inbox)
    assert outcome.status == "refused"
    assert table_rows(store, "SELECT count(*) FROM quarantine") == [(0,)]


def test_identity_numbers_in_xlsx_are_refused_too(store, inbox):
    rows = valid_rows(3)
    rows[0]["record_id"] = f"19{PERSONNUMMER}"
    write_xlsx(inbox / "export.xlsx", rows)
    (outcome,) = ingest(store, inbox)
    assert outcome.status == "refused" and "line 2" in outcome.message


def test_ten_digit_record_ids_failing_luhn_load_normally(store, inbox):
    rows = [valid_row(record_id=rid) for rid in ("8112189877", "8112189878", "1234567890")]
    write_csv(inbox / "export.csv", rows)
    (outcome,) = ingest(store, inbox)
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 3)


def test_uiv_check_never_echoes_the_value(tmp_path, capsys):
    from pipelines.cli import main

    secret = f"{PERSONNUMMER[:6]}-{PERSONNUMMER[6:]}"
    path = write_csv(tmp_path / "export.csv", [valid_row(record_id=secret)])
    assert main(["check", str(path)]) == 2
    output = capsys.readouterr()
    assert "identity number" in output.out
    assert PERSONNUMMER[6:] not in output.out + output.err


def test_an_identity_number_as_a_header_refuses_the_file_without_echoing_it(store, inbox):
    secret = f"19{PERSONNUMMER}"
    write_csv(inbox / "export.csv", [dict(valid_row(), **{secret: "x"})])
    (outcome,) = ingest(store, inbox)
    assert outcome.status == "refused"
    assert "(the header itself), line 1" in outcome.message
    assert secret not in outcome.message


def test_the_sql_scan_skips_only_cells_too_short_to_match():
    """identity_number_candidates.sql passes over cells shorter than 11 characters before the
    regular expression runs: the pattern's shortest match is 11 (six digits, a sign, four)."""
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse
    from uiv_core.ingest.identity_numbers import _SHORTEST, _SQL_PATTERN
    from uiv_core.sql import query

    assert sre_parse.parse(_SQL_PATTERN).getwidth()[0] == _SHORTEST == 11
    assert "length(cell) >= 11" in query("identity_number_candidates", table="raw_export", columns=["a"])


def test_only_columns_with_a_cell_long_enough_are_searched_and_one_long_cell_suffices():
    """A column whose cells are all shorter than 11 characters is not searched; one cell of an
    identity number's length among millions of short ones makes its column searched."""
    from uiv_core.ingest.identity_numbers import find_identity_numbers, long_cell_columns
    from uiv_core.sql import query

    number = "19" + with_check_digit("121212121")[:6] + "-" + with_check_digit("121212121")[6:]
    con = duckdb.connect()
    con.execute("CREATE TABLE raw_export AS SELECT range + 2 AS line_number, 'R' || range AS lopnr, "
                "'0180' AS kommunkod, NULL::VARCHAR AS tom FROM range(200000)")
    assert find_identity_numbers(con, "raw_export", ["lopnr", "kommunkod", "tom"]) == (0, [])
    con.execute("UPDATE raw_export SET kommunkod = ? WHERE line_number = 150001", [number])
    count, hits = find_identity_numbers(con, "raw_export", ["lopnr", "kommunkod", "tom"])
    assert count == 1 and [(h.column, h.line_number) for h in hits] == [("kommunkod", 150001)]
    # the statistics bound the longest cell; the fallback reads the lengths themselves
    assert long_cell_columns(con, "raw_export", ["lopnr", "kommunkod", "tom"]) == ["kommunkod"]
    lengths = con.execute(query("long_cell_columns", table="raw_export", columns=["lopnr", "kommunkod", "tom"]))
    assert lengths.fetchone() == (7, len(number), None)
