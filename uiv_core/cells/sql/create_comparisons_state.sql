-- The keys of the periods the comparisons now hold (TEMP table new_comparison_keys), kept beside them.
CREATE OR REPLACE TABLE comparisons_state AS
SELECT period, period_type, key FROM new_comparison_keys ORDER BY period, period_type
