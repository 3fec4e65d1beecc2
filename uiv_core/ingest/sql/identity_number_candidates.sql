-- Cells of a raw table that look like an identity number ($pattern): one UNPIVOT over every
-- column (also for thousands of columns; NULL cells are left out). The pattern cannot match fewer
-- than 11 characters (six digits, a sign, four digits), so shorter cells (codes, ratings, dates)
-- are passed over before any regular expression runs.
SELECT column_name, line_number, cell
FROM (UNPIVOT {{ table | ident }} ON COLUMNS(* EXCLUDE (line_number)) INTO NAME column_name VALUE cell)
WHERE length(cell) >= 11 AND regexp_matches(cell, $pattern)
ORDER BY line_number, column_name
