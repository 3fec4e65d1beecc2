-- Rows per municipality in the latest quarter ($latest) and the one before ($previous).
WITH counts AS (
    SELECT municipality_code, count_if(quarter = $previous) AS rows_previous,
           count_if(quarter = $latest) AS rows_latest
    FROM followups WHERE quarter IN ($previous, $latest) GROUP BY municipality_code)
SELECT *, CASE WHEN rows_previous > 0 THEN rows_latest / rows_previous END AS row_ratio
FROM counts ORDER BY municipality_code
