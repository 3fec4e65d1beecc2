-- The periods the published comparisons are built for, a group at a time
-- (published_comparisons.sql), in the order of their rows: every (period, period type) of the
-- published cells, with its municipal cells (what the comparisons are of).
SELECT period, period_type, count(*) FILTER (WHERE unit_type = 'kommun') AS cells
FROM published_counts GROUP BY period, period_type ORDER BY period, period_type
