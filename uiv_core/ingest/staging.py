"""Stage a raw export: map headers to the contract's columns and normalise every cell in SQL.

The staged table has one row per data row of the file, with the canonical column names, the
normalised text of each cell, the parsed dates, the line of an earlier duplicate, the
unknown extra columns as JSON, and `suspect`: whether the row may break a rule of the contract
(`sql/_suspect_predicate.sql`, evaluated in the same pass). `uiv_schema.contract.FollowupRow`
then validates the suspect and repeated rows.

Normalisation (documented in docs/data-contract.md): cells trimmed, blank → null; codes in
canonical case (`K`/`M`/`X` upper, the others lower with å/ä → a and ö → o, en dash → hyphen); `ja`/`nej` → `1`/`0`;
decimal comma → point and a whole number written as `4,0` or `4.0` → `4`; a municipality code of
1-3 digits left-padded with zeros (`180` → `0180`); dates parsed from the three forms.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from uiv_schema.codes import DATE_FORMATS, EARLIEST_DATE, RECORD_ID_MAX_LENGTH, SUBSTANCE_TARGET_GROUP, TARGET_GROUPS
from uiv_schema.columns import (
    COLUMN_NAMES,
    NEED_COLUMNS,
    RATING_COLUMNS,
    REQUIRED_COLUMNS,
    SWEDISH_HEADER,
    canonical_column,
)
from uiv_schema.contract import (
    ANSWERED_RATINGS,
    CODE_LISTS,
    NEED_VALUES,
    RATING_VALUES,
    SATISFACTION_VALUES,
    FollowupRow,
)
from uiv_schema.municipalities import municipality_codes
from uiv_schema.reasons import REFUSAL_MISSING_COLUMNS, REFUSAL_UNREADABLE

from uiv_core.ingest.reading import RawExport, RefusedFile
from uiv_core.sql import query

STAGED_TABLE = "staged_export"


@dataclass
class HeaderMap:
    canonical: dict[str, str]  # canonical column name → header in the file
    extra: list[str]  # headers that are not in the contract (kept as JSON, reported)


def map_headers(headers: list[str]) -> HeaderMap:
    """Match the file's headers to the contract. Raises RefusedFile for a missing or doubled column."""
    canonical: dict[str, str] = {}
    extra: list[str] = []
    for header in headers:
        name = canonical_column(header)
        if name is None:
            extra.append(header)
        elif name in canonical:
            raise RefusedFile(
                REFUSAL_UNREADABLE,
                f"column {SWEDISH_HEADER[name]} ({name}) appears twice: "
                f"as '{canonical[name]}' and as '{header}'; keep one",
            )
        else:
            canonical[name] = header
    missing = [c for c in REQUIRED_COLUMNS if c not in canonical]
    if missing:
        names = ", ".join(f"{SWEDISH_HEADER[c]} ({c})" for c in missing)
        raise RefusedFile(
            REFUSAL_MISSING_COLUMNS,
            f"required column{'s' if len(missing) > 1 else ''} missing: {names}; "
            "see docs/data-contract.md for the header names",
        )
    return HeaderMap(canonical, extra)


def suspect_parts() -> dict:
    """The generated parts of `_suspect_predicate.sql`, from the contract (the model's required
    columns, its code lists)."""
    required = [name for name, column in FollowupRow.to_schema().columns.items() if not column.nullable]
    return {"required": required, "municipalities": sorted(municipality_codes()),
            "code_lists": CODE_LISTS, "needs": NEED_COLUMNS, "need_values": NEED_VALUES,
            "ratings": RATING_COLUMNS, "rating_values": RATING_VALUES, "satisfaction_values": SATISFACTION_VALUES,
            "target_groups": TARGET_GROUPS, "need_ratings": list(zip(NEED_COLUMNS, RATING_COLUMNS)),
            "answered": ANSWERED_RATINGS}


#: the values of `_suspect_predicate.sql`
SUSPECT_VALUES = {"record_id_max": RECORD_ID_MAX_LENGTH, "control_characters": r"[\x00-\x1f\x7f]",
                  "earliest": EARLIEST_DATE, "substance_group": SUBSTANCE_TARGET_GROUP}


def staging_parts(raw: RawExport, headers: HeaderMap) -> dict:
    """The generated parts of staging_select.sql: the file's header of each contract column, the
    code lists and the date forms of the contract."""
    return {
        "raw": raw.table, "extra": headers.extra,
        "cells": {name: headers.canonical.get(name) for name in COLUMN_NAMES},
        "code_lists": CODE_LISTS, "date_formats": DATE_FORMATS, "needs": NEED_COLUMNS, "ratings": RATING_COLUMNS,
        "need_values": NEED_VALUES, "rating_values": RATING_VALUES, "satisfaction_values": SATISFACTION_VALUES,
    }


def staging_select(raw: RawExport, headers: HeaderMap) -> str:
    """The SELECT that turns `raw.table` into the staged row set."""
    return query("staging_select", **staging_parts(raw, headers))


def stage(con: duckdb.DuckDBPyConnection, raw: RawExport, headers: HeaderMap, load_date: str) -> str:
    """Create the TEMP table `staged_export` (normalised cells, load date, suspect flag, earlier
    duplicates)."""
    con.execute(query("staged_export", table=STAGED_TABLE, staging_select=staging_select(raw, headers),
                      **suspect_parts()), {"load_date": load_date, **SUSPECT_VALUES})
    con.execute(query("staged_repeats", table=STAGED_TABLE))
    return STAGED_TABLE
