-- The cells one update computes: their counts (numerator, denominator, for means the sum of
-- squared ratings) and the primary suppression. Value: $min_n. What is derived from the counts
-- (value, limits, sd) is not stored: the view `indicators` (indicators_view.sql) works it out.
CREATE OR REPLACE TEMP TABLE indicator_cells AS
SELECT
    period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id,
    CAST(numerator AS BIGINT) AS numerator, CAST(denominator AS BIGINT) AS denominator,
    CAST(sum_squares AS BIGINT) AS sum_squares,
    denominator < $min_n AS suppressed
FROM indicator_long
ORDER BY period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id
