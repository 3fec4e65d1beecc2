-- The municipalities' shown adjusted cells of rolling window $period, with the crude value and
-- its comparison with the country beside them (published tables only).
SELECT a.unit_code, a.target_group, a.indicator_id, a.ratio, a.ratio_ci95_low, a.ratio_ci95_high, a.value,
       a.significance, p.value AS crude_value, c.significance AS crude_significance
FROM published_adjusted a
JOIN published_indicators p
  ON p.period = a.period AND p.period_type = a.period_type AND p.unit_code = a.unit_code
 AND p.unit_type = a.unit_type AND p.target_group = a.target_group AND p.breakdown = 'alla'
 AND p.breakdown_value = 'alla' AND p.indicator_id = a.indicator_id
LEFT JOIN published_comparisons c
  ON c.period = a.period AND c.period_type = a.period_type AND c.unit_code = a.unit_code
 AND c.unit_type = a.unit_type AND c.target_group = a.target_group AND c.breakdown = 'alla'
 AND c.breakdown_value = 'alla' AND c.indicator_id = a.indicator_id AND c.benchmark_unit_type = 'riket'
WHERE a.unit_type = 'kommun' AND a.period_type = 'rolling4q' AND a.period = $period AND NOT a.suppressed
ORDER BY a.unit_code, a.target_group, a.indicator_id
