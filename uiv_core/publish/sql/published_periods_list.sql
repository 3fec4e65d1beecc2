-- The periods the published comparisons are built for, one at a time (published_comparisons.sql),
-- in the order of their rows: every (period, period type) of the published cells.
SELECT DISTINCT period, period_type FROM published_counts ORDER BY period, period_type
