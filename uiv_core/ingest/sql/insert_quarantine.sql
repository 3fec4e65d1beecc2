{% import "_macros.sql" as m %}
-- The failing rows of one file → quarantine: reasons in the contract's order ($reasons), their
-- columns and messages, the raw row as JSON. Values: $file, $sha256, $loaded_at, $reasons.
-- Generated: the table names and the raw file's column names (`headers`).
INSERT INTO quarantine
WITH ranked AS (
    SELECT line_number, reason, "column", message, list_position($reasons, reason) AS reason_rank
    FROM {{ failures | ident }}
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
    CASE WHEN s.followup_date IS NOT NULL THEN {{ m.quarter('s.followup_date') }} END,
    reasons.reason_codes, p.columns, p.messages,
    r.raw_json, CAST($loaded_at AS TIMESTAMP)
FROM per_line p
JOIN reasons USING (line_number)
JOIN {{ staged | ident }} s USING (line_number)
JOIN (SELECT line_number,
             {{ m.json_object(headers) }} AS raw_json
      FROM {{ raw | ident }}) r USING (line_number)
ORDER BY p.line_number
