"""One test per quarantine reason code: a valid row, broken in one way, is set aside for that reason,
with a message that names the column; the other rows of the file load."""

from __future__ import annotations

import duckdb
import pytest

from conftest import LOAD_TIME, valid_row, valid_rows, write_csv
from uiv_core.ingest.loading import inspect_export
from uiv_schema.reasons import REASON_CODES

# reason code → (changes to a valid row, the column the message must name)
BROKEN_ROWS = {
    "missing_value": ({"intervention": ""}, "insats (intervention)"),
    "invalid_municipality": ({"municipality_code": "9999"}, "kommunkod (municipality_code)"),
    "invalid_date": ({"followup_date": "2025-02-30"}, "uppfoljningsdatum (followup_date)"),
    "start_after_followup": ({"start_date": "2025-10-01"}, "startdatum (start_date)"),
    "invalid_code": ({"sex": "Q"}, "kon (sex)"),
    "substance_mismatch": ({"main_substance": ""}, "huvuddrog (main_substance)"),
    "invalid_need": ({"need_krim": "2"}, "behov_krim (need_krim)"),
    "invalid_rating": ({"rating_missbruk": "7"}, "skattning_missbruk (rating_missbruk)"),
    "rating_without_need": ({"need_boende": "0", "rating_boende": "3"}, "skattning_boende (rating_boende)"),
}


def test_every_reason_code_has_a_case_here():
    assert set(BROKEN_ROWS) | {"duplicate_in_file"} == set(REASON_CODES)


def _check(tmp_path, rows):
    path = write_csv(tmp_path / "export.csv", rows)
    return inspect_export(duckdb.connect(), path, LOAD_TIME.date())


@pytest.mark.parametrize("reason", sorted(BROKEN_ROWS))
def test_a_row_breaking_one_rule_is_quarantined_with_that_reason(tmp_path, reason):
    changes, column_name = BROKEN_ROWS[reason]
    rows = valid_rows(5)
    rows[2].update(changes)

    inspection = _check(tmp_path, rows)

    assert inspection.rows_valid == 4
    assert inspection.rows_quarantined == 1
    failures = inspection.failures
    assert failures["reason"].tolist() == [reason]
    assert failures["line_number"].tolist() == [4]  # header is line 1, rows[2] is line 4
    assert column_name in failures["message"].iloc[0]


def test_duplicate_in_file_quarantines_the_later_row_and_points_to_the_first(tmp_path):
    rows = valid_rows(3)
    rows.append(valid_row(record_id=rows[0]["record_id"], rating_missbruk="2"))
    inspection = _check(tmp_path, rows)
    assert inspection.failures[["line_number", "reason"]].values.tolist() == [[5, "duplicate_in_file"]]
    assert "already on line 2" in inspection.failures["message"].iloc[0]


def test_the_same_record_id_in_two_municipalities_is_not_a_duplicate(tmp_path):
    rows = [valid_row(record_id="X1", municipality_code="0180"), valid_row(record_id="X1", municipality_code="1280")]
    assert _check(tmp_path, rows).rows_valid == 2


@pytest.mark.parametrize("changes", [
    {"followup_date": "1999-12-31", "start_date": "1999-01-01"},
    {"followup_date": "2026-11-24"},  # the day after loading
    {"start_date": "not a date"},
])
def test_invalid_date_covers_unparseable_too_early_and_after_loading(tmp_path, changes):
    rows = [valid_row(**changes)]
    inspection = _check(tmp_path, rows)
    assert "invalid_date" in set(inspection.failures["reason"])


def test_the_day_of_loading_itself_is_a_valid_followup_date(tmp_path):
    assert _check(tmp_path, [valid_row(followup_date=LOAD_TIME.date().isoformat())]).rows_valid == 1


@pytest.mark.parametrize("changes,reason", [
    ({"target_group": "spel", "main_substance": "alkohol"}, "substance_mismatch"),
    ({"main_substance": "heroin"}, "invalid_code"),
    ({"age_group": "17-24"}, "invalid_code"),
    ({"completed": "kanske"}, "invalid_code"),
    ({"target_group": "barn", "main_substance": ""}, "invalid_code"),
    ({"satisfaction": "6"}, "invalid_rating"),
    ({"need_foralder": "ja", "rating_foralder": "0"}, "invalid_rating"),
    ({"rating_missbruk": "5"}, "invalid_rating"),  # the scale is 1-4 (9: not answered)
    ({"rating_boende": "-1"}, "invalid_rating"),
    ({"rating_missbruk": "3,5"}, "invalid_rating"),
    ({"record_id": "x" * 65}, "invalid_code"),
    ({"record_id": ""}, "missing_value"),
    ({"need_syssel": ""}, "missing_value"),
])
def test_more_ways_to_break_a_rule(tmp_path, changes, reason):
    inspection = _check(tmp_path, [valid_row(**changes)])
    assert inspection.failures["reason"].tolist() == [reason]


@pytest.mark.parametrize("changes", [
    {"rating_missbruk": "9"},  # not answered
    {"rating_missbruk": ""},  # not answered
    {"need_boende": "0", "rating_boende": "9"},  # 9 allowed without need
    {"satisfaction": "9"},
    {"satisfaction": ""},
    {"target_group": "spel", "main_substance": ""},
    {"sex": "X", "age_group": "65+"},
    {"start_date": "2025-09-15"},  # same day as follow-up
])
def test_valid_variants_are_not_quarantined(tmp_path, changes):
    assert _check(tmp_path, [valid_row(**changes)]).rows_valid == 1


def test_a_row_with_several_problems_lists_every_reason_once_in_contract_order(tmp_path):
    row = valid_row(municipality_code="9999", sex="Q", age_group="x", rating_missbruk="7")
    inspection = _check(tmp_path, [row])
    assert inspection.rows_quarantined == 1
    assert inspection.reason_counts() == {"invalid_municipality": 1, "invalid_code": 1, "invalid_rating": 1}
    assert inspection.failures["reason"].tolist() == ["invalid_municipality", "invalid_code", "invalid_code", "invalid_rating"]


def test_every_canonical_value_normalises_to_itself(tmp_path):
    """staging_select.sql takes a cell holding a canonical value as it is, without normalising it:
    right only because the normalisation leaves each canonical value as it is. A padded cell
    (` v `) misses that shortcut and goes through trimming and folding: it must come out as `v`."""
    from uiv_schema.columns import NEED_COLUMNS, RATING_COLUMNS
    from uiv_schema.contract import CODE_LISTS, NEED_VALUES, RATING_VALUES, SATISFACTION_VALUES

    canonical = {**CODE_LISTS, **dict.fromkeys(NEED_COLUMNS, NEED_VALUES),
                 **dict.fromkeys(RATING_COLUMNS, RATING_VALUES), "satisfaction": SATISFACTION_VALUES}
    cases = [(column, value) for column, values in canonical.items() for value in values]
    rows = [valid_row(record_id=f"R{i}", **{column: f" {value} "}) for i, (column, value) in enumerate(cases)]
    con = duckdb.connect()
    inspection = inspect_export(con, write_csv(tmp_path / "padded.csv", rows), LOAD_TIME.date())
    packed = "struct_pack(" + ", ".join(f"{c} := {c}" for c in canonical) + ")"
    staged = dict(con.execute(f"SELECT record_id, {packed} FROM {inspection.staged_table}").fetchall())
    assert [staged[f"R{i}"][column] for i, (column, _) in enumerate(cases)] == [value for _, value in cases]


def test_a_blank_date_is_reported_on_its_date_column(tmp_path):
    inspection = _check(tmp_path, [valid_row(start_date="")])
    assert inspection.failures[["reason", "column"]].values.tolist() == [["missing_value", "start_date"]]
    assert "startdatum (start_date) is blank" in inspection.failures["message"].iloc[0]


# --- the rows DuckDB picks for pandera ----------------------------------------------------------


def test_every_check_of_the_model_has_its_predicate_in_the_suspect_rows():
    """_suspect_predicate.sql must select every row any check of `FollowupRow` could fail: a new check
    without its predicate there would let its failures load. Each predicate names its reason."""
    import re
    from pathlib import Path

    from uiv_schema.contract import FollowupRow

    schema = FollowupRow.to_schema()
    checks = {c.name for c in schema.checks} | {c.name for column in schema.columns.values() for c in column.checks}
    checks |= {"not_nullable"} if any(not column.nullable for column in schema.columns.values()) else set()
    sql = (Path(__file__).resolve().parent.parent / "uiv_core/ingest/sql/_suspect_predicate.sql").read_text()
    assert checks == set(re.findall(r"-- reason: (\w+)", sql))


def _corpus_files(tmp_path):
    import corpus

    from conftest import SAMPLE_EXPORTS

    folder = tmp_path / "corpus"
    expected = corpus.build(folder)
    return [folder / name for name, outcome in sorted(expected.items()) if outcome.status == "loaded"] + \
        sorted(SAMPLE_EXPORTS.iterdir())


def test_validating_the_suspect_rows_finds_exactly_what_validating_every_row_finds(tmp_path):
    """On every loadable file of the bad-input corpus and the sample exports, pandera over the rows
    DuckDB picks gives the same failures (line, reason, column, message) as pandera over every row."""
    from uiv_core.ingest.validation import validate_staged

    compared = 0
    for path in _corpus_files(tmp_path):
        con = duckdb.connect()
        picked = inspect_export(con, path, LOAD_TIME.date()).failures
        reference = validate_staged(con, "staged_export", everything=True)
        assert picked.equals(reference), path.name
        compared += len(reference)
        con.close()
    assert compared > 100


@pytest.mark.parametrize("seed", range(3))
def test_random_breakage_is_found_the_same_both_ways(tmp_path, seed):
    """Random rows with random cells broken (any column, values from every code list and
    beyond): the two paths agree row for row."""
    import random

    from uiv_core.ingest.validation import validate_staged

    rng = random.Random(seed)
    rows = valid_rows(300)
    oddities = ["", " ", "9", "0", "1", "5", "7", "ja", "nej", "Q", "x", "missbruk", "spel", "alkohol", "0180",
                "9999", "180", "2025-02-30", "2025-13-01", "1999-12-31", "2027-01-01", "20250301", "01/03/2025",
                "2025-03-01", "a" * 70, "id\x01x", "4,0", "M", "K", "X"]
    for row in rows:
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            row[rng.choice(sorted(row))] = rng.choice(oddities)
    rows += [dict(rows[rng.randrange(len(rows))]) for _ in range(10)]  # duplicates
    path = write_csv(tmp_path / "export.csv", rows)
    con = duckdb.connect()
    picked = inspect_export(con, path, LOAD_TIME.date()).failures
    reference = validate_staged(con, "staged_export", everything=True)
    assert len(reference) > 50
    assert picked.equals(reference)
