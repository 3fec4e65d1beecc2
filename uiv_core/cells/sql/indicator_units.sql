-- Municipalities as computed; counties, the country and peer groups as sums of them.
CREATE OR REPLACE TEMP TABLE indicator_units AS
SELECT period_type, period, 'kommun' AS unit_type, municipality_code AS unit_code, target_group, breakdown,
       breakdown_value, * EXCLUDE (period_type, period, municipality_code, target_group, breakdown, breakdown_value)
FROM indicator_periods
UNION ALL BY NAME
SELECT period_type, period, 'lan' AS unit_type, '00' || m.county_code AS unit_code, target_group, breakdown,
       breakdown_value, {% include "_resum.sql" %}
FROM indicator_periods p JOIN municipality_reference m USING (municipality_code)
GROUP BY period_type, period, m.county_code, target_group, breakdown, breakdown_value
UNION ALL BY NAME
SELECT period_type, period, 'riket' AS unit_type, '0000' AS unit_code, target_group, breakdown, breakdown_value,
       {% include "_resum.sql" %}
FROM indicator_periods GROUP BY period_type, period, target_group, breakdown, breakdown_value
UNION ALL BY NAME
SELECT period_type, period, 'grupp' AS unit_type, g.peer_group AS unit_code, target_group, breakdown,
       breakdown_value, {% include "_resum.sql" %}
FROM indicator_periods p JOIN peer_groups g USING (municipality_code)
GROUP BY period_type, period, g.peer_group, target_group, breakdown, breakdown_value
