-- The report's cells: every unit, target group and indicator of one rolling window ($period),
-- breakdown 'alla', with the comparison against the country.
SELECT p.*, c.benchmark_value AS country_value, c.significance, c.quartile, c.colour, c.trend
FROM published_indicators p
LEFT JOIN published_comparisons c USING (period, period_type, unit_code, unit_type, target_group,
                                         breakdown, breakdown_value, indicator_id)
WHERE p.period_type = 'rolling4q' AND p.period = $period AND p.breakdown = 'alla'
  AND (c.benchmark_unit_type = 'riket' OR c.benchmark_unit_type IS NULL)
ORDER BY p.unit_type, p.unit_code, p.target_group, p.indicator_id
