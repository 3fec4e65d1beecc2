"""Stage a raw export: map headers to the contract's columns and normalise every cell in SQL.

The staged table has one row per data row of the file, with the canonical column names, the
normalised text of each cell, the parsed dates, the line of an earlier duplicate and the
unknown extra columns as JSON. `uiv_schema.contract.FollowupRow` then validates it.

Normalisation (documented in docs/data-contract.md): cells trimmed, blank → null; codes in
canonical case (`K`/`M`/`X` upper, the others lower with å/ä → a and ö → o, en dash → hyphen); `ja`/`nej` → `1`/`0`;
decimal comma → point and a whole number written as `4,0` or `4.0` → `4`; a municipality code of
1-3 digits left-padded with zeros (`180` → `0180`); dates parsed from the three forms.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from uiv_schema.codes import AGE_GROUPS, COMPLETED, DATE_FORMATS, INTERVENTIONS, SUBSTANCES, TARGET_GROUPS
from uiv_schema.columns import (
    NEED_COLUMNS,
    RATING_COLUMNS,
    REQUIRED_COLUMNS,
    SWEDISH_HEADER,
    canonical_column,
)
from uiv_schema.reasons import REFUSAL_MISSING_COLUMNS, REFUSAL_UNREADABLE

from uiv_core.ingest.reading import RawExport, RefusedFile
from uiv_core.sql import query
from uiv_core.sql import quote_identifier as _q
from uiv_core.sql import quote_literal

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


def _text(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


def _number(expr: str) -> str:
    """'4,0' / '4.0' / ' 4 ' → '4'; other text unchanged (then refused by its check). The regular
    expression runs only on a cell holding a point or a comma (the others it would leave as they are)."""
    text = _text(expr)
    return (
        f"CASE WHEN contains({text}, '.') OR contains({text}, ',') "
        f"THEN regexp_replace(replace({text}, ',', '.'), '^([0-9]+)\\.0*$', '\\1') ELSE {text} END"
    )


def _code(expr: str, codes: tuple[str, ...]) -> str:
    """Codes compare in lower case with å/ä → a, ö → o (`Pågår` → `pagar`). A cell that already
    holds one of `codes` (the usual case) is taken as it is: folding would not change it."""
    text = _text(expr)
    known = ", ".join(quote_literal(code) for code in codes)
    return f"CASE WHEN {text} IN ({known}) THEN {text} ELSE translate(lower({text}), 'åäö', 'aao') END"


def _date(expr: str) -> str:
    attempts = ", ".join(f"try_strptime({_text(expr)}, '{fmt}')" for fmt in DATE_FORMATS)
    return f"CAST(coalesce({attempts}) AS DATE)"


def staging_select(raw: RawExport, headers: HeaderMap) -> str:
    """The SELECT that turns `raw.table` into the staged row set."""

    def cell(name: str) -> str:
        header = headers.canonical.get(name)
        return f"{_q(header)}" if header else "CAST(NULL AS VARCHAR)"

    expressions = {
        "record_id": _text(cell("record_id")),
        "municipality_code": (
            f"CASE WHEN regexp_full_match({_number(cell('municipality_code'))}, '[0-9]{{1,3}}') "
            f"THEN lpad({_number(cell('municipality_code'))}, 4, '0') "
            f"ELSE {_number(cell('municipality_code'))} END"
        ),
        "followup_date_text": _text(cell("followup_date")),
        "start_date_text": _text(cell("start_date")),
        "followup_date": _date(cell("followup_date")),
        "start_date": _date(cell("start_date")),
        "sex": f"upper({_text(cell('sex'))})",
        "age_group": f"replace({_code(cell('age_group'), AGE_GROUPS)}, '–', '-')",
        "target_group": _code(cell("target_group"), TARGET_GROUPS),
        "main_substance": _code(cell("main_substance"), SUBSTANCES),
        "intervention": _code(cell("intervention"), INTERVENTIONS),
        "completed": _code(cell("completed"), COMPLETED),
        **{
            need: (  # '0' and '1' (the usual case) as they are, without folding case
                f"CASE {_text(cell(need))} WHEN '1' THEN '1' WHEN '0' THEN '0' ELSE "
                f"CASE lower({_text(cell(need))}) WHEN 'ja' THEN '1' WHEN 'nej' THEN '0' "
                f"ELSE {_number(cell(need))} END END"
            )
            for need in NEED_COLUMNS
        },
        **{rating: _number(cell(rating)) for rating in RATING_COLUMNS},
        "satisfaction": _number(cell("satisfaction")),
    }
    return query("staging_select", columns=list(expressions.items()), extra=headers.extra, raw=raw.table)


def stage(con: duckdb.DuckDBPyConnection, raw: RawExport, headers: HeaderMap, load_date: str) -> str:
    """Create the TEMP table `staged_export` (normalised cells, earlier duplicates, load date)."""
    con.execute(query("staged_export", table=STAGED_TABLE, staging_select=staging_select(raw, headers)),
                {"load_date": load_date})
    con.execute(query("staged_repeats", table=STAGED_TABLE))
    return STAGED_TABLE
