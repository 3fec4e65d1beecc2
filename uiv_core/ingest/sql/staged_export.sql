-- The staged export: normalised cells, the load date ($load_date), and whether the row may break
-- a rule (`suspect`, `_suspect_predicate.sql`: evaluated here, on the freshly computed cells,
-- instead of in a second pass over 10 M staged rows), in the raw table's (the file's) order. The
-- predicate is a CASE condition: DuckDB evaluates a condition as a filter, each OR only on the
-- rows not yet selected (as a plain boolean column it took twice as long).
-- `earlier_line` is filled in afterwards by staged_repeats.sql, only for the repeated records.
-- Generated: the staging select, the parts of the predicate. Values: $load_date and those of
-- the predicate.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS
SELECT s.*, CASE WHEN {% include "_suspect_predicate.sql" %} THEN TRUE ELSE FALSE END AS suspect
FROM (SELECT *, CAST($load_date AS DATE) AS load_date, CAST(NULL AS BIGINT) AS earlier_line
      FROM ({{ staging_select }})) s
