-- The periods the comparisons are built for, a group at a time (comparisons.sql), in the order of
-- their rows: every (period, period type) holding a municipality's cell, with its shown
-- municipal cells (what the comparisons join).
SELECT period, period_type, count(*) FILTER (WHERE NOT suppressed) AS cells
FROM indicator_counts WHERE unit_type = 'kommun'
GROUP BY period, period_type ORDER BY period, period_type
