-- The comparisons as every reader sees them: the stored results (comparison_results) with the
-- benchmark's value beside them, read from `indicators` (NULL when the benchmark cell is
-- suppressed or absent) instead of being stored once more.
CREATE OR REPLACE VIEW comparisons AS
SELECT c.period, c.period_type, c.unit_code, c.unit_type, c.target_group, c.breakdown, c.breakdown_value,
       c.indicator_id, c.benchmark_unit_type, c.benchmark_unit_code,
       CASE WHEN NOT r.suppressed THEN r.value END AS benchmark_value,
       c.significance, c.quartile, c.colour, c.funnel, c.trend
FROM comparison_results c
LEFT JOIN indicators r
    ON r.unit_code = c.benchmark_unit_code AND r.unit_type = c.benchmark_unit_type
   AND r.period = c.period AND r.period_type = c.period_type AND r.target_group = c.target_group
   AND r.breakdown = c.breakdown AND r.breakdown_value = c.breakdown_value AND r.indicator_id = c.indicator_id
