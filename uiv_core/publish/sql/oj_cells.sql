-- The Öppna jämförelser workbook's cells: every municipality, county and the country, one rolling
-- window ($period), breakdown 'alla', each cell with its published value (NULL when hidden), its
-- quartile colour and its significance against the country.
SELECT p.unit_type, p.unit_code, p.target_group, p.indicator_id, p.value, p.suppression,
       c.colour, c.significance
FROM published_indicators p
LEFT JOIN published_comparisons c
  ON c.period = p.period AND c.period_type = p.period_type AND c.unit_code = p.unit_code
 AND c.unit_type = p.unit_type AND c.target_group = p.target_group AND c.breakdown = p.breakdown
 AND c.breakdown_value = p.breakdown_value AND c.indicator_id = p.indicator_id AND c.benchmark_unit_type = 'riket'
WHERE p.period_type = 'rolling4q' AND p.period = $period AND p.breakdown = 'alla'
  AND p.unit_type IN ('kommun', 'lan', 'riket')
ORDER BY p.target_group, p.unit_type, p.unit_code, p.indicator_id
