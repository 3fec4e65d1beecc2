-- Comparisons of the published cells; a hidden cell or benchmark is 'ej jämförbar', grey, no quartile.
-- A published cell without a `comparisons` row (under the min n, or without follow-ups in its
-- denominator) gets the same rows against its unit's benchmarks (the country, its county, its
-- peer group), all 'ej jämförbar': every published cell has its comparisons. The benchmark value
-- is not stored: the view `published_comparisons` (published_comparisons_view.sql) reads it from
-- `published_indicators`, the same beside every cell, whatever its n.
-- Run once per group of consecutive periods (`by_period`: parameter $periods, a list of
-- 'period period_type'), the first creating the table and the others inserting, in the order of
-- the sort below: the joins read one group's cells at a time (as comparisons.sql), and the rows
-- lie in the same order. Without `by_period`, every period at once.
{% if insert %}INSERT INTO published_comparison_results{% else %}CREATE OR REPLACE TABLE published_comparison_results AS{% endif %}

WITH shown AS MATERIALIZED (
    SELECT * FROM published_indicators {% if by_period %}WHERE {% include "_in_periods.sql" %}{% endif %}
), compared_cells AS MATERIALIZED (
    SELECT * FROM comparison_results {% if by_period %}WHERE {% include "_in_periods.sql" %}{% endif %}
), compared AS (
    SELECT c.period, c.period_type, c.unit_code, c.unit_type, c.target_group, c.breakdown, c.breakdown_value,
           c.indicator_id, c.benchmark_unit_type, c.benchmark_unit_code,
           CASE WHEN p.value IS NULL OR b.value IS NULL THEN {{ result.SIGNIFICANCE.NOT_COMPARABLE | literal }} ELSE c.significance END AS significance,
           CASE WHEN p.value IS NOT NULL THEN c.quartile END AS quartile,
           CASE WHEN p.value IS NULL THEN {{ result.COLOUR.GREY | literal }} ELSE c.colour END AS colour,
           CASE WHEN p.value IS NOT NULL THEN c.funnel END AS funnel,
           CASE WHEN p.value IS NULL THEN {{ result.TREND.NOT_CALCULATED | literal }} ELSE c.trend END AS trend
    FROM compared_cells c
    JOIN shown p
      USING (period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id)
    LEFT JOIN shown b
      ON b.unit_code = c.benchmark_unit_code AND b.unit_type = c.benchmark_unit_type AND b.period = c.period
     AND b.period_type = c.period_type AND b.target_group = c.target_group AND b.breakdown = c.breakdown
     AND b.breakdown_value = c.breakdown_value AND b.indicator_id = c.indicator_id
), benchmarks AS (
    SELECT 'kommun' AS unit_type, municipality_code AS unit_code, 'riket' AS benchmark_unit_type,
           '0000' AS benchmark_unit_code
    FROM municipality_reference
    UNION ALL
    SELECT 'kommun', municipality_code, 'lan', '00' || county_code FROM municipality_reference
    UNION ALL
    SELECT 'kommun', municipality_code, 'grupp', peer_group FROM peer_groups
), empty AS (
    SELECT p.period, p.period_type, p.unit_code, p.unit_type, p.target_group, p.breakdown, p.breakdown_value,
           p.indicator_id, b.benchmark_unit_type, b.benchmark_unit_code,
           {{ result.SIGNIFICANCE.NOT_COMPARABLE | literal }} AS significance, CAST(NULL AS INTEGER) AS quartile,
           {{ result.COLOUR.GREY | literal }} AS colour, CAST(NULL AS VARCHAR) AS funnel,
           {{ result.TREND.NOT_CALCULATED | literal }} AS trend
    FROM shown p
    JOIN benchmarks b USING (unit_type, unit_code)
    ANTI JOIN compared_cells c
      USING (period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id)
)
SELECT * FROM compared
UNION ALL BY NAME
SELECT * FROM empty
ORDER BY period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id,
         benchmark_unit_type, benchmark_unit_code
