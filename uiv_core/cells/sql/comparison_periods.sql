-- The periods the comparisons are built for, one at a time (comparisons.sql), in the order of
-- their rows: every (period, period type) holding a municipality's cell.
SELECT DISTINCT period, period_type FROM indicator_counts WHERE unit_type = 'kommun' ORDER BY period, period_type
