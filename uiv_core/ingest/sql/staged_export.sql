-- The staged export: normalised cells, the load date ($load_date) and, for a repeated
-- (municipality_code, record_id), the first line that holds it (found by grouping, not by a
-- window over every row). Generated: the staging select.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS
WITH staged AS MATERIALIZED ({{ staging_select }}),
repeated AS (
    SELECT municipality_code, record_id, min(line_number) AS first_line
    FROM staged
    WHERE municipality_code IS NOT NULL AND record_id IS NOT NULL
    GROUP BY municipality_code, record_id
    HAVING count(*) > 1
)
SELECT
    s.*,
    CAST($load_date AS DATE) AS load_date,
    CASE WHEN s.line_number > r.first_line THEN r.first_line END AS earlier_line
FROM staged s
LEFT JOIN repeated r ON r.municipality_code = s.municipality_code AND r.record_id = s.record_id
ORDER BY s.line_number
