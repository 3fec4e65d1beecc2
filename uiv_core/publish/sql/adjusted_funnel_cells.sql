-- The municipalities' published adjusted cells of one indicator ($indicator), rolling window
-- ($period) and target group ($target_group), for the county page's O/E funnel.
SELECT unit_code, target_group, observed, expected, ratio, ratio_ci95_low, ratio_ci95_high, significance, suppressed
FROM published_adjusted
WHERE unit_type = 'kommun' AND period_type = 'rolling4q' AND period = $period
  AND indicator_id = $indicator AND target_group = $target_group
ORDER BY unit_code
