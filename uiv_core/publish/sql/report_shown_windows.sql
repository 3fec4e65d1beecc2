-- The first and last rolling window in which a municipality ($unit) has a shown value.
SELECT min(period), max(period) FROM published_indicators
WHERE unit_type = 'kommun' AND unit_code = $unit AND period_type = 'rolling4q' AND value IS NOT NULL
