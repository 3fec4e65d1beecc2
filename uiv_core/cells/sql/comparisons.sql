-- Each municipality cell against the country, its county and its peer group: significance from
-- the cell's 95 % interval against the benchmark value, quartile colour, funnel band against the
-- country (95 % / 99.8 %), trend. Values: $higher (polarity "higher is better"), $percent.
-- A cell under the min n has no rows: it is never compared (published_comparisons.sql shows it
-- 'ej jämförbar' against the published benchmark values). The benchmark value itself is not
-- stored: the view `comparisons` (comparisons_view.sql) reads it from `indicators`.
-- Run once per group of consecutive periods (`by_period`: parameter $periods, a list of
-- 'period period_type'), the first creating the table and the others inserting, in the order of
-- the sort below (period, then period type): every join reads one group's cells, so the memory a
-- run needs is a group's, not the store's (a 1 M-row refresh peaked at 3.3 GB in this statement
-- when it ran over every period at once), and the rows lie in the same order; the quartiles and
-- the trends are read for the group's periods only (the trends of every period as a join's
-- build side took a third of a period's time). Without `by_period`, every period at once.
{% if insert %}INSERT INTO comparison_results{% else %}CREATE OR REPLACE TABLE comparison_results AS{% endif %}

WITH period_cells AS MATERIALIZED (  -- read once, joined three times
    SELECT * FROM indicators
    {% if by_period %}WHERE {% include "_in_periods.sql" %}{% endif %}

), cells AS (
    SELECT i.*, m.county_code, c.polarity, c.unit
    FROM period_cells i
    JOIN municipality_reference m ON m.municipality_code = i.unit_code
    JOIN indicator_catalogue c USING (indicator_id)
    WHERE i.unit_type = 'kommun' AND NOT i.suppressed
), benchmarks AS (
    SELECT *, 'riket' AS benchmark_unit_type, '0000' AS benchmark_unit_code FROM cells
    UNION ALL BY NAME
    SELECT *, 'lan' AS benchmark_unit_type, '00' || county_code AS benchmark_unit_code FROM cells
    UNION ALL BY NAME
    SELECT cells.*, 'grupp' AS benchmark_unit_type, g.peer_group AS benchmark_unit_code
    FROM cells JOIN peer_groups g ON g.municipality_code = cells.unit_code
)
SELECT
    b.period, b.period_type, b.unit_code, b.unit_type, b.target_group, b.breakdown,
    b.breakdown_value, b.indicator_id,
    b.benchmark_unit_type, b.benchmark_unit_code,
    CASE
        WHEN b.suppressed OR b.polarity IS NULL OR r.value IS NULL OR r.suppressed THEN {{ result.SIGNIFICANCE.NOT_COMPARABLE | literal }}
        WHEN b.ci95_low > r.value THEN CASE b.polarity WHEN $higher THEN {{ result.SIGNIFICANCE.BETTER | literal }} ELSE {{ result.SIGNIFICANCE.WORSE | literal }} END
        WHEN b.ci95_high < r.value THEN CASE b.polarity WHEN $higher THEN {{ result.SIGNIFICANCE.WORSE | literal }} ELSE {{ result.SIGNIFICANCE.BETTER | literal }} END
        ELSE {{ result.SIGNIFICANCE.SIMILAR | literal }}
    END AS significance,
    q.quartile,
    CASE
        WHEN b.polarity IS NULL OR q.quartile IS NULL THEN {{ result.COLOUR.GREY | literal }}
        WHEN q.quartile = 1 THEN {{ result.COLOUR.GREEN | literal }}
        WHEN q.quartile = 4 THEN {{ result.COLOUR.RED | literal }}
        ELSE {{ result.COLOUR.MIDDLE | literal }}
    END AS colour,
    CASE
        WHEN b.suppressed OR b.unit <> $percent OR country.value IS NULL THEN NULL
        WHEN b.ci998_low > country.value THEN 'High (0.001)'
        WHEN b.ci95_low > country.value THEN 'High (0.025)'
        WHEN b.ci998_high < country.value THEN 'Low (0.001)'
        WHEN b.ci95_high < country.value THEN 'Low (0.025)'
        ELSE 'Not significant'
    END AS funnel,
    coalesce(CASE WHEN b.period_type <> 'year' AND NOT b.suppressed THEN t.trend END, {{ result.TREND.NOT_CALCULATED | literal }}) AS trend
FROM benchmarks b
LEFT JOIN period_cells r
    ON r.unit_code = b.benchmark_unit_code AND r.unit_type = b.benchmark_unit_type
   AND r.period = b.period AND r.period_type = b.period_type AND r.target_group = b.target_group
   AND r.breakdown = b.breakdown AND r.breakdown_value = b.breakdown_value AND r.indicator_id = b.indicator_id
LEFT JOIN period_cells country
    ON country.unit_type = 'riket' AND country.period = b.period AND country.period_type = b.period_type
   AND country.target_group = b.target_group AND country.breakdown = b.breakdown
   AND country.breakdown_value = b.breakdown_value AND country.indicator_id = b.indicator_id
LEFT JOIN (SELECT * FROM cell_quartiles {% if by_period %}WHERE {% include "_in_periods.sql" %}{% endif %}) q
    ON q.unit_code = b.unit_code AND q.period = b.period AND q.period_type = b.period_type
   AND q.target_group = b.target_group AND q.breakdown = b.breakdown
   AND q.breakdown_value = b.breakdown_value AND q.indicator_id = b.indicator_id
LEFT JOIN (SELECT * FROM cell_trends {% if by_period %}WHERE list_contains(list_transform($periods, lambda p: split_part(p, ' ', 1)), period){% endif %}) t
    ON t.unit_code = b.unit_code AND t.period = b.period AND t.target_group = b.target_group
   AND t.breakdown = b.breakdown AND t.breakdown_value = b.breakdown_value AND t.indicator_id = b.indicator_id
ORDER BY b.period, b.period_type, b.unit_code, b.unit_type, b.target_group, b.breakdown, b.breakdown_value, b.indicator_id, b.benchmark_unit_type, b.benchmark_unit_code
