-- adjusted.parquet: published_adjusted with the unit's name (registered export_unit_names), sorted.
SELECT a.period, a.period_type, a.unit_code, n.unit_name, a.unit_type, a.target_group, a.indicator_id,
       a.* EXCLUDE (period, period_type, unit_code, unit_type, target_group, indicator_id)
FROM published_adjusted a
JOIN export_unit_names n USING (unit_type, unit_code)
ORDER BY a.period, a.period_type, a.unit_code, a.unit_type, a.target_group, a.indicator_id
