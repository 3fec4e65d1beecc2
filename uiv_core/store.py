"""The ingest tables in DuckDB: their DDL and the SQL that writes one file's rows.

Tables (documented column by column in docs/tables.md):
- load_files: one row per file taken in (loaded, unchanged or refused), with counts and message;
- followups: the current version of each (municipality_code, record_id), typed;
- followups_history: versions replaced by a later delivery;
- quarantine: rows that broke the contract, with reasons, messages and the raw row as JSON.
"""

from __future__ import annotations

import duckdb

from uiv_schema.codes import AREAS
from uiv_schema.reasons import REASON_CODES

_NEEDS = ",\n    ".join(f"need_{a} BOOLEAN NOT NULL" for a in AREAS)
_RATINGS = ",\n    ".join(f"rating_{a} UTINYINT" for a in AREAS)

FOLLOWUP_COLUMNS = f"""
    municipality_code VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    quarter VARCHAR NOT NULL,
    followup_date DATE NOT NULL,
    start_date DATE NOT NULL,
    sex VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    target_group VARCHAR NOT NULL,
    main_substance VARCHAR,
    intervention VARCHAR NOT NULL,
    completed VARCHAR NOT NULL,
    {_NEEDS},
    {_RATINGS},
    satisfaction UTINYINT,
    extra_columns JSON,
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL"""

SCHEMA_SQL = f"""
CREATE TABLE IF NOT EXISTS load_files (
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('loaded', 'unchanged', 'refused')),
    file_format VARCHAR,
    encoding VARCHAR,
    delimiter VARCHAR,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_replaced BIGINT NOT NULL,
    quarters VARCHAR[],
    extra_columns VARCHAR[],
    message VARCHAR,
    CHECK (rows_read = rows_loaded + rows_quarantined)
);
CREATE TABLE IF NOT EXISTS followups ({FOLLOWUP_COLUMNS}
);
CREATE TABLE IF NOT EXISTS followups_history ({FOLLOWUP_COLUMNS},
    replaced_at TIMESTAMP NOT NULL,
    replaced_by_file VARCHAR NOT NULL,
    replaced_by_sha256 VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS quarantine (
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    municipality_code VARCHAR,
    quarter VARCHAR,
    reason_codes VARCHAR[] NOT NULL,
    columns VARCHAR[] NOT NULL,
    messages VARCHAR[] NOT NULL,
    raw_row JSON NOT NULL,
    quarantined_at TIMESTAMP NOT NULL
);
"""

_TYPED_NEEDS = ",\n    ".join(f"need_{a} = '1' AS need_{a}" for a in AREAS)
_TYPED_RATINGS = ",\n    ".join(f"CAST(rating_{a} AS UTINYINT) AS rating_{a}" for a in AREAS)
#: The quarter label (`2025Q3`) of a follow-up, from its follow-up date.
QUARTER_SQL = "strftime(followup_date, '%Y') || 'Q' || quarter(followup_date)"

#: typed, valid rows of the staged export → TEMP incoming (params: file, sha256, loaded_at)
INCOMING_SQL = f"""
CREATE OR REPLACE TEMP TABLE incoming AS
SELECT
    municipality_code, record_id, {QUARTER_SQL} AS quarter, followup_date, start_date,
    sex, age_group, target_group, main_substance, intervention, completed,
    {_TYPED_NEEDS},
    {_TYPED_RATINGS},
    CAST(satisfaction AS UTINYINT) AS satisfaction,
    extra_columns,
    CAST($file AS VARCHAR) AS source_file, CAST($sha256 AS VARCHAR) AS source_sha256,
    line_number AS source_line, CAST($loaded_at AS TIMESTAMP) AS loaded_at
FROM {{staged}} s
WHERE NOT EXISTS (SELECT 1 FROM {{failures}} f WHERE f.line_number = s.line_number)
ORDER BY municipality_code, record_id
"""

REPLACE_SQL = tuple(statement.strip() for statement in """
INSERT INTO followups_history
SELECT f.*, CAST($loaded_at AS TIMESTAMP), CAST($file AS VARCHAR), CAST($sha256 AS VARCHAR)
FROM followups f SEMI JOIN incoming i USING (municipality_code, record_id);
DELETE FROM followups f USING incoming i
WHERE f.municipality_code = i.municipality_code AND f.record_id = i.record_id;
INSERT INTO followups SELECT * FROM incoming
""".split(";"))

_REASON_RANK = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(REASON_CODES))

#: failing rows → quarantine (params: file, sha256, loaded_at); {raw_json} is the raw row's JSON
QUARANTINE_SQL = f"""
INSERT INTO quarantine
WITH ranked AS (
    SELECT line_number, reason, "column", message,
           CASE reason {_REASON_RANK} END AS reason_rank
    FROM {{failures}}
), per_line AS (
    SELECT line_number,
           list("column" ORDER BY reason_rank, "column") AS columns,
           list(message ORDER BY reason_rank, "column") AS messages
    FROM ranked GROUP BY line_number
), reasons AS (
    SELECT line_number, list(reason ORDER BY reason_rank) AS reason_codes
    FROM (SELECT DISTINCT line_number, reason, reason_rank FROM ranked)
    GROUP BY line_number
)
SELECT
    CAST($file AS VARCHAR), CAST($sha256 AS VARCHAR), p.line_number,
    s.municipality_code,
    CASE WHEN s.followup_date IS NOT NULL THEN {QUARTER_SQL.replace('followup_date', 's.followup_date')} END,
    reasons.reason_codes, p.columns, p.messages,
    r.raw_json, CAST($loaded_at AS TIMESTAMP)
FROM per_line p
JOIN reasons USING (line_number)
JOIN {{staged}} s USING (line_number)
JOIN (SELECT line_number, {{raw_json}} AS raw_json FROM {{raw}}) r USING (line_number)
ORDER BY p.line_number
"""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL)


def run_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """The one documented timestamp in published files: the time of the latest load."""
    import datetime as dt

    (stamp,) = con.execute("SELECT max(loaded_at) FROM load_files").fetchall()[0]
    return (stamp or dt.datetime(1970, 1, 1)).strftime("%Y-%m-%d %H:%M")
