-- The staged export: normalised cells and the load date ($load_date), in the raw table's (the
-- file's) order. `earlier_line` is filled in afterwards by staged_repeats.sql, only for the
-- repeated records (one pass here, no sort, no join). Generated: the staging select.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS
SELECT s.*, CAST($load_date AS DATE) AS load_date, CAST(NULL AS BIGINT) AS earlier_line
FROM ({{ staging_select }}) s
