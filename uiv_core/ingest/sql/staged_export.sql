-- The staged export: normalised cells, the load date ($load_date) and, for a repeated
-- (municipality_code, record_id), the first line that holds it. Generated: the staging select.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS
WITH staged AS ({{ staging_select }})
SELECT
    *,
    CAST($load_date AS DATE) AS load_date,
    CASE WHEN municipality_code IS NOT NULL AND record_id IS NOT NULL
         AND line_number > min(line_number) OVER (PARTITION BY municipality_code, record_id)
         THEN min(line_number) OVER (PARTITION BY municipality_code, record_id)
    END AS earlier_line
FROM staged
ORDER BY line_number
