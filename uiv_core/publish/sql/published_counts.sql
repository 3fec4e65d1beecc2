-- The published cells' counts: NULL where hidden, `suppression` says why (or `dold`). The view
-- `published_indicators` (published_indicators.sql) adds the figures worked out from them.
CREATE OR REPLACE TABLE published_counts AS
SELECT period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id,
       CASE WHEN NOT hidden THEN numerator END AS numerator,
       CASE WHEN NOT hidden THEN denominator END AS denominator,
       CASE WHEN NOT hidden THEN sum_squares END AS sum_squares,
       suppression  -- primär, sekundär or dold (publication_cells.sql)
FROM publication_cells
ORDER BY period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id
