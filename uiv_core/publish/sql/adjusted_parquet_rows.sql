-- adjusted.parquet: published_adjusted with the unit's and the indicator's names (registered
-- export_unit_names, export_catalogue), sorted by the key.
SELECT a.period, a.period_type, a.unit_code, n.unit_name, a.unit_type, a.target_group, a.indicator_id,
       k.indicator_name,
       a.* EXCLUDE (period, period_type, unit_code, unit_type, target_group, indicator_id)
FROM published_adjusted a
JOIN export_unit_names n USING (unit_type, unit_code)
JOIN export_catalogue k USING (indicator_id)
ORDER BY a.period, a.period_type, a.unit_code, a.unit_type, a.target_group, a.indicator_id
