-- Each municipality's shown rating-coverage counts over the life areas in a window ($period), for
-- the pages' data notes (one statement for every page: one per page took 0.6 s for 24 pages).
SELECT unit_code, sum(numerator), sum(denominator) FROM published_indicators
WHERE unit_type = 'kommun' AND period_type = 'rolling4q' AND period = $period
  AND target_group = 'alla' AND breakdown = 'alla' AND indicator_id LIKE 'rating_coverage.%'
  AND value IS NOT NULL
GROUP BY unit_code
