-- The periods that are published: every rolling four-quarter window, and a calendar year only
-- when all four of its quarters lie within the loaded range. A complete year holds the same
-- follow-ups as the rolling window ending in its fourth quarter (`audit_period`), so the
-- disclosure audit treats the two as one cell. Incomplete years are not published: they would
-- differ from a rolling window by single quarters. Reads the stored counts behind the view
-- `indicators` (only their periods are needed).
CREATE OR REPLACE TEMP TABLE published_periods AS
WITH loaded AS (
    SELECT min(period) AS first_quarter, max(period) AS last_quarter
    FROM indicator_counts WHERE period_type = 'quarter'
)
SELECT DISTINCT 'rolling4q' AS period_type, period, period AS audit_period
FROM indicator_counts WHERE period_type = 'rolling4q'
UNION ALL
SELECT DISTINCT 'year' AS period_type, i.period, i.period || 'Q4' AS audit_period
FROM indicator_counts i CROSS JOIN loaded
WHERE i.period_type = 'year' AND i.period || 'Q1' >= loaded.first_quarter
  AND i.period || 'Q4' <= loaded.last_quarter
ORDER BY period_type, period
