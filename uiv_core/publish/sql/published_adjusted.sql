-- The published case-mix adjusted cells. An adjusted cell is shown only where its crude cell
-- (breakdown 'alla') is shown in `published_counts`; otherwise its figures are NULL and it reads
-- 'ej jämförbar', like the crude one. The adjusted share is O/E × the country's crude share, so it
-- and its limits (and `standard_value`) are shown only where the country's crude cell of the same
-- period, target group and indicator is shown too (O/E is shown either way). What protects a
-- hidden cell is that its adjusted figures are hidden with it: E adds up over units and target
-- groups exactly as the counts do, and the crude audit leaves no lone hidden count in those
-- relations. The figures are rounded for reading (O/E to two decimals, shares to one, E to a
-- whole number); the rounding is not a protection (docs/methods.md). Values: $not_comparable.
CREATE OR REPLACE TABLE published_adjusted AS
WITH a AS (
    SELECT a.*, p.numerator AS published_numerator, p.denominator AS published_denominator,
           p.numerator IS NOT NULL AND NOT a.suppressed AS shown,
           country.numerator IS NOT NULL AS country_shown
    FROM adjusted_indicators a
    JOIN published_counts p
      ON p.period = a.period AND p.period_type = a.period_type AND p.unit_code = a.unit_code
     AND p.unit_type = a.unit_type AND p.target_group = a.target_group AND p.breakdown = 'alla'
     AND p.indicator_id = a.indicator_id
    LEFT JOIN published_counts country
      ON country.period = a.period AND country.period_type = a.period_type AND country.unit_type = 'riket'
     AND country.target_group = a.target_group AND country.breakdown = 'alla' AND country.indicator_id = a.indicator_id
)
SELECT
    period, period_type, unit_code, unit_type, target_group, indicator_id,
    published_numerator AS observed,
    CASE WHEN shown THEN round(expected) END AS expected,
    published_denominator AS denominator,
    CASE WHEN shown AND country_shown THEN round(standard_value, 1) END AS standard_value,
    CASE WHEN shown THEN round(ratio, 2) END AS ratio,
    CASE WHEN shown THEN round(ratio_ci95_low, 2) END AS ratio_ci95_low,
    CASE WHEN shown THEN round(ratio_ci95_high, 2) END AS ratio_ci95_high,
    CASE WHEN shown THEN round(ratio_ci998_low, 2) END AS ratio_ci998_low,
    CASE WHEN shown THEN round(ratio_ci998_high, 2) END AS ratio_ci998_high,
    CASE WHEN shown AND country_shown THEN round(value, 1) END AS value,
    CASE WHEN shown AND country_shown THEN round(ci95_low, 1) END AS ci95_low,
    CASE WHEN shown AND country_shown THEN round(ci95_high, 1) END AS ci95_high,
    CASE WHEN shown AND country_shown THEN round(ci998_low, 1) END AS ci998_low,
    CASE WHEN shown AND country_shown THEN round(ci998_high, 1) END AS ci998_high,
    CASE WHEN shown THEN significance ELSE $not_comparable END AS significance,
    NOT shown AS suppressed
FROM a
ORDER BY period, period_type, unit_code, unit_type, target_group, indicator_id
