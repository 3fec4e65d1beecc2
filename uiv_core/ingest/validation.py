"""Validate a staged export against the contract (pandera) and explain every failure.

DuckDB marks the staged rows that may break a rule while staging (`sql/_suspect_predicate.sql`),
`sql/suspect_rows.sql` reads them (with the repeated records), and pandera validates those, in
batches (memory does not grow with a clean file). The result is a long table of failures: one
row per (line, reason code, column) with a message a person can act on, naming the column by
its Swedish header first. Rows without failures load; the others go to quarantine with all
their reasons.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow_types

from uiv_core.sql import query, temp_table_from_frame
from uiv_schema.codes import DATE_FORMATS, EARLIEST_DATE
from uiv_schema.columns import NEED_COLUMNS, RATING_COLUMNS, SWEDISH_HEADER
from uiv_schema.contract import (
    CODE_LISTS,
    FollowupRow,
    invalid_date_columns,
    rating_without_need_columns,
)
from uiv_schema.reasons import REASON_CODES

FAILURES_TABLE = "export_failures"
BATCH_ROWS = 500_000
FAILURE_COLUMNS = ["line_number", "reason", "column", "message"]
_MAX_SHOWN = 40
_REASON_OF_CHECK = {"not_nullable": "missing_value"}


def _name(column: str) -> str:
    return f"{SWEDISH_HEADER.get(column, column)} ({column})"


def _shown(value) -> str:
    text = str(value)
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…")


def staged_batches(con: duckdb.DuckDBPyConnection, table: str, everything: bool = False) -> Iterator[pd.DataFrame]:
    """The staged rows that may break a rule (`suspect_rows.sql`, the predicate evaluated while
    staging; with `everything`, all rows) as
    pandas frames of at most BATCH_ROWS rows, in line order."""
    if everything:
        relation = con.sql(query("staged_rows", table=table))
    else:
        relation = con.sql(query("suspect_rows", table=table))
    reader = relation.to_arrow_reader(BATCH_ROWS)
    mapper = {pyarrow_types.int64(): pd.Int64Dtype()}.get
    for batch in reader:
        frame = batch.to_pandas(types_mapper=mapper)
        frame.index = pd.RangeIndex(len(frame))
        yield frame


def validate_batch(rows: pd.DataFrame) -> pd.DataFrame:
    """Failures of one staged batch: line_number, reason, column, message."""
    try:
        FollowupRow.validate(rows, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _explain(rows, errors.failure_cases)
    return pd.DataFrame(columns=FAILURE_COLUMNS)


def _explain(rows: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    schema_level = cases[cases["index"].isna()]
    if len(schema_level):  # a dtype or column problem: a bug in staging, never a data problem
        raise RuntimeError(f"staged export does not fit the contract model:\n{schema_level}")
    records: list[tuple[int, str, str, str]] = []
    cases = cases.assign(index=cases["index"].astype("int64"))
    column_checks = cases[cases["schema_context"] == "Column"]
    for position, check, column, value in zip(
        column_checks["index"], column_checks["check"], column_checks["column"], column_checks["failure_case"]
    ):
        reason = _REASON_OF_CHECK.get(check, check)
        column = column.removesuffix("_text")  # a blank date is reported on its date column
        records.append((position, reason, column, _column_message(reason, column, value)))
    frame_checks = cases[cases["schema_context"] != "Column"][["index", "check"]].drop_duplicates()
    for check, positions in frame_checks.groupby("check")["index"]:
        records.extend(_row_check_failures(check, rows.loc[sorted(positions)]))
    failures = pd.DataFrame(records, columns=["position", "reason", "column", "message"])
    failures.insert(0, "line_number", rows["line_number"].to_numpy()[failures["position"]])
    return failures.drop(columns="position")[FAILURE_COLUMNS]


def _column_message(reason: str, column: str, value) -> str:
    if reason == "missing_value":
        return f"{_name(column)} is blank: a value is required"
    if reason == "invalid_municipality":
        return f"{_name(column)} {_shown(value)} is not one of the 290 municipality codes (e.g. 0180)"
    if reason == "invalid_code" and column == "record_id":
        if isinstance(value, str) and len(value) <= 64:
            return f"{_name(column)} holds a control character (e.g. NUL or a line break): the export is damaged"
        return f"{_name(column)} is longer than 64 characters"
    if reason == "invalid_code":
        return f"{_name(column)} {_shown(value)} is not in the code list: {', '.join(CODE_LISTS[column])}"
    if reason == "invalid_need":
        return f"{_name(column)} {_shown(value)} is not a need flag: write 1 or 0 (ja or nej)"
    if reason == "invalid_rating" and column == "satisfaction":
        return f"{_name(column)} {_shown(value)} is outside the scale 1-5 (9 or blank: not answered)"
    if reason == "invalid_rating":
        return f"{_name(column)} {_shown(value)} is outside the scale 1-4 (9 or blank: not answered)"
    return f"{_name(column)} {_shown(value)} breaks rule {reason}"


def _row_check_failures(check: str, rows: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    """Failures of a row-level (multi-column) check, with the column(s) that caused them. Column
    by column (a generated quarter with 15 000 future dates took 3 s read a row at a time)."""
    out: list[tuple[int, str, str, str]] = []
    if check == "invalid_date":
        bad = invalid_date_columns(rows)
        for column in bad.columns:
            failing = rows[bad[column].to_numpy()]
            out.extend((position, check, column, _date_message(column, text, parsed, load_date))
                       for position, text, parsed, load_date in zip(
                           failing.index, failing[f"{column}_text"], failing[column], failing["load_date"]))
    elif check == "rating_without_need":
        bad = rating_without_need_columns(rows)
        for need, rating in zip(NEED_COLUMNS, RATING_COLUMNS):
            failing = rows.loc[bad[rating].to_numpy(), rating]
            out.extend((position, check, rating, (
                f"{_name(rating)} is {value} but {SWEDISH_HEADER[need]} is 0: leave the rating "
                "blank (or 9) where there was no need, or correct the need flag"
            )) for position, value in failing.items())
    elif check == "start_after_followup":
        out.extend((position, check, "start_date", (
            f"{_name('start_date')} {start.date()} is after {_name('followup_date')} {followup.date()}"
        )) for position, start, followup in zip(rows.index, rows["start_date"], rows["followup_date"]))
    elif check == "substance_mismatch":
        for position, substance, group in zip(rows.index, rows["main_substance"], rows["target_group"]):
            if pd.isna(substance):
                message = f"{_name('main_substance')} is blank, but it is required for malgrupp missbruk"
            else:
                message = (
                    f"{_name('main_substance')} is given for malgrupp {_shown(group)}: "
                    "only malgrupp missbruk has a main substance; leave it blank"
                )
            out.append((position, check, "main_substance", message))
    elif check == "duplicate_in_file":
        out.extend((position, check, "record_id", (
            f"{_name('municipality_code')} + {_name('record_id')} already on line "
            f"{earlier} of this file: the later row is set aside"
        )) for position, earlier in zip(rows.index, rows["earlier_line"]))
    else:
        raise RuntimeError(f"unknown row check {check}")
    return out


def _date_message(column: str, text, parsed, load_date) -> str:
    if pd.isna(parsed):
        forms = ", ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in DATE_FORMATS)
        return f"{_name(column)} {_shown(text)} is not a date in one of the forms {forms}"
    if parsed < pd.Timestamp(EARLIEST_DATE):
        return f"{_name(column)} {_shown(text)} is before {EARLIEST_DATE}"
    return f"{_name(column)} {_shown(text)} is after the day of loading ({load_date.date()})"


def validate_staged(con: duckdb.DuckDBPyConnection, table: str, everything: bool = False) -> pd.DataFrame:
    """Validate the staged rows; store the failures in TEMP table `export_failures`, return them.

    DuckDB marked the rows that may break a rule while staging (`_suspect_predicate.sql`, one
    predicate per check of the model); pandera validates those and the repeated records: on a clean export of 10 M rows hardly any row leaves
    the database. `everything` validates every row with pandera (the reference the tests compare
    this path with)."""
    parts = [validate_batch(batch) for batch in staged_batches(con, table, everything)]
    failures = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FAILURE_COLUMNS)
    order = {code: i for i, code in enumerate(REASON_CODES)}
    failures = (
        failures.assign(reason_order=failures["reason"].map(order))
        .sort_values(["line_number", "reason_order", "column"], kind="stable")
        .drop(columns="reason_order")
        .reset_index(drop=True)
    )
    failures = failures.astype({"line_number": "int64", "reason": "str", "column": "str", "message": "str"})
    temp_table_from_frame(con, FAILURES_TABLE, failures)
    return failures
