-- The first and last rolling window in which each municipality has a shown value (the pages'
-- data notes, one statement for every page).
SELECT unit_code, min(period), max(period) FROM published_indicators
WHERE unit_type = 'kommun' AND period_type = 'rolling4q' AND value IS NOT NULL
GROUP BY unit_code
