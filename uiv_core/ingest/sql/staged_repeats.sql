-- A repeated (municipality_code, record_id) of the staged export: every line after the first
-- that holds it gets that first line as `earlier_line` (found by grouping, not by a window over
-- every row; a file without repeats updates nothing). Generated: the staged table.
UPDATE {{ table | ident }} AS s SET earlier_line = r.first_line
FROM (
    SELECT municipality_code, record_id, min(line_number) AS first_line
    FROM {{ table | ident }}
    WHERE municipality_code IS NOT NULL AND record_id IS NOT NULL
    GROUP BY municipality_code, record_id
    HAVING count(*) > 1
) r
WHERE r.municipality_code = s.municipality_code AND r.record_id = s.record_id AND s.line_number > r.first_line
