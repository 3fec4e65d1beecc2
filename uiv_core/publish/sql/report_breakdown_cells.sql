-- The municipality pages' breakdown section: the published municipal cells of one rolling window
-- ($period) by sex, age group, intervention and main substance, for the indicators in $indicators.
SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, value, denominator, suppression
FROM published_indicators
WHERE period_type = 'rolling4q' AND period = $period AND unit_type = 'kommun' AND breakdown <> 'alla'
  AND list_contains($indicators, indicator_id)
ORDER BY unit_code, target_group, breakdown, breakdown_value, indicator_id
