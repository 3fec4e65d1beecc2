-- One municipality's ($unit) shown rating-coverage counts over the life areas in a window ($period).
SELECT sum(numerator), sum(denominator) FROM published_indicators
WHERE unit_type = 'kommun' AND unit_code = $unit AND period_type = 'rolling4q' AND period = $period
  AND target_group = 'alla' AND breakdown = 'alla' AND indicator_id LIKE 'rating_coverage.%'
  AND value IS NOT NULL
