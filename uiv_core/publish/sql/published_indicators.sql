-- The published cells: figures of hidden cells are NULL, `suppression` says why (or `dold`).
CREATE OR REPLACE TABLE published_indicators AS
SELECT period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id,
       CASE WHEN NOT hidden THEN numerator END AS numerator,
       CASE WHEN NOT hidden THEN denominator END AS denominator,
       CASE WHEN NOT hidden THEN value END AS value,
       CASE WHEN NOT hidden THEN ci95_low END AS ci95_low,
       CASE WHEN NOT hidden THEN ci95_high END AS ci95_high,
       CASE WHEN NOT hidden THEN ci998_low END AS ci998_low,
       CASE WHEN NOT hidden THEN ci998_high END AS ci998_high,
       suppression  -- primär, sekundär or dold (publication_cells.sql)
FROM publication_cells
ORDER BY period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id
