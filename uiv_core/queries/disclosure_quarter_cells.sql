-- The true quarter cells of the (column, quarter) pairs in TEMP table wanted_quarter_cells.
WITH columns AS (
    SELECT DISTINCT column_id, unit_type, unit_code, target_group, breakdown, breakdown_value
    FROM disclosure_keys
)
SELECT w.row_id, i.indicator_id, i.numerator, i.denominator
FROM wanted_quarter_cells w
JOIN columns c ON c.column_id = w.column_id
JOIN indicators i
  ON i.period_type = 'quarter' AND i.period = w.quarter AND i.unit_type = c.unit_type
 AND i.unit_code = c.unit_code AND i.target_group = c.target_group AND i.breakdown = c.breakdown
 AND i.breakdown_value = c.breakdown_value
ORDER BY w.row_id, i.indicator_id
