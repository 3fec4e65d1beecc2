-- The keys the disclosure audit works on: every (rolling window, unit, target group, breakdown
-- value) present in `indicators` for any indicator. `column_id` numbers the (unit, target group,
-- breakdown value) columns; a column's windows are linked through the latent quarters.
CREATE OR REPLACE TEMP TABLE disclosure_keys AS
SELECT (row_number() OVER (ORDER BY unit_type, unit_code, target_group, breakdown, breakdown_value, period) - 1)::INTEGER
           AS key_id,
       (dense_rank() OVER (ORDER BY unit_type, unit_code, target_group, breakdown, breakdown_value) - 1)::INTEGER
           AS column_id,
       period, unit_type, unit_code, target_group, breakdown, breakdown_value
FROM (SELECT DISTINCT period, unit_type, unit_code, target_group, breakdown, breakdown_value
      FROM indicators WHERE period_type = 'rolling4q')
ORDER BY key_id
