-- The report's cells: every unit, target group and indicator of one rolling window ($period),
-- breakdown 'alla', with the comparison against the country (value, significance, quartile,
-- colour, trend) and the significance against the county and the kommungrupp.
WITH benchmarks AS (
    SELECT unit_code, unit_type, target_group, indicator_id,
           max(benchmark_value) FILTER (WHERE benchmark_unit_type = 'riket') AS country_value,
           max(significance) FILTER (WHERE benchmark_unit_type = 'riket') AS significance,
           max(significance) FILTER (WHERE benchmark_unit_type = 'lan') AS county_significance,
           max(significance) FILTER (WHERE benchmark_unit_type = 'grupp') AS group_significance,
           max(quartile) AS quartile, max(colour) AS colour, max(trend) AS trend
    FROM published_comparisons
    WHERE period_type = 'rolling4q' AND period = $period AND breakdown = 'alla'
    GROUP BY ALL
)
SELECT p.*, b.country_value, b.significance, b.county_significance, b.group_significance,
       b.quartile, b.colour, b.trend
FROM published_indicators p
LEFT JOIN benchmarks b USING (unit_code, unit_type, target_group, indicator_id)
WHERE p.period_type = 'rolling4q' AND p.period = $period AND p.breakdown = 'alla'
ORDER BY p.unit_type, p.unit_code, p.target_group, p.indicator_id
