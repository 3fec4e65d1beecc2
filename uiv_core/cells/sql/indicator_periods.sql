-- Quarters as stored, years and rolling four-quarter windows as sums of them; only the periods
-- in TEMP wanted_periods (rolling_window maps each window to its four quarters).
CREATE OR REPLACE TEMP TABLE indicator_periods AS
SELECT * FROM (
SELECT 'quarter' AS period_type, quarter AS period, municipality_code, target_group, breakdown, breakdown_value,
       * EXCLUDE (quarter, municipality_code, target_group, breakdown, breakdown_value)
FROM indicator_base
UNION ALL BY NAME
SELECT 'year' AS period_type, left(quarter, 4) AS period, municipality_code, target_group, breakdown, breakdown_value,
       {% include "_resum.sql" %}
FROM indicator_base GROUP BY left(quarter, 4), municipality_code, target_group, breakdown, breakdown_value
UNION ALL BY NAME
SELECT 'rolling4q' AS period_type, w.period AS period, municipality_code, target_group, breakdown, breakdown_value,
       {% include "_resum.sql" %}
FROM indicator_base b JOIN rolling_window w USING (quarter)
GROUP BY w.period, municipality_code, target_group, breakdown, breakdown_value
) SEMI JOIN wanted_periods USING (period_type, period)
