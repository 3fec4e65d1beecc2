-- The case-mix adjusted cells (indirect standardisation, docs/methods.md): per year and rolling
-- window × municipality, county and peer group × target group (and 'alla') × adjusted indicator.
-- Standard: the country's share in each stratum of the same period. E = Σ n_stratum · share;
-- O = the cell's numerator; O/E with exact Poisson limits below 10 observed (exact_limits) and
-- Byar's from 10 on; the adjusted share = O/E × the country's crude share, limits scaled alike
-- and capped at 100 % (Poisson limits of a share near 100 % reach beyond it; O/E is not capped).
-- Floating sums run in a fixed order (the strata, then the municipalities): the same inputs give
-- the same bits. Values: $min_n, $expected_floor, $z95, $z998, $higher. Generated: the
-- adjusted indicators and their strata, the period/unit keys, the significance labels; `insert`:
-- the periods of adjusted_periods are added to the table (adjusted.py: the periods a run rewrites)
-- instead of making it anew.
{% if insert %}INSERT INTO adjusted_indicators{% else %}CREATE OR REPLACE TABLE adjusted_indicators AS{% endif %}

WITH long AS (
    SELECT * FROM (
        UNPIVOT adjusted_strata ON
{% for i in indicators %}
            ({{ ('x:' ~ i.id) | ident }}, {{ ('n:' ~ i.id) | ident }}) AS {{ i.id | ident }}{{ ',' if not loop.last }}
{% endfor %}
        INTO NAME indicator_id VALUE numerator, denominator
    )
    WHERE denominator > 0
), keyed AS (
    -- each indicator's own strata as one key (its target group is part of every stratum)
    SELECT quarter, municipality_code, target_group, indicator_id, numerator, denominator,
           CASE indicator_id
{% for i in indicators %}
               WHEN {{ i.id | literal }} THEN [{% for c in i.strata %}{{ c | ident }}{{ ', ' if not loop.last }}{% endfor %}]
{% endfor %}
           END AS stratum
    FROM long
), periods AS (
    SELECT 'year' AS period_type, left(quarter, 4) AS period, * EXCLUDE (quarter) FROM keyed
    UNION ALL BY NAME
    SELECT 'rolling4q' AS period_type, w.period, k.* EXCLUDE (quarter)
    FROM keyed k JOIN adjusted_windows w USING (quarter)
), municipal AS (
    SELECT period_type, period, municipality_code, target_group, stratum, indicator_id,
           sum(numerator)::BIGINT AS x, sum(denominator)::BIGINT AS n
    FROM periods SEMI JOIN adjusted_periods USING (period_type, period)
    GROUP BY ALL
), standard AS (
    SELECT period_type, period, target_group, stratum, indicator_id,
           sum(x)::BIGINT AS standard_x, sum(n)::BIGINT AS standard_n
    FROM municipal GROUP BY ALL
), units AS (
    SELECT period_type, period, 'kommun' AS unit_type, municipality_code AS unit_code, target_group, stratum,
           indicator_id, x, n
    FROM municipal
    UNION ALL BY NAME
    SELECT period_type, period, 'lan' AS unit_type, '00' || r.county_code AS unit_code, target_group, stratum,
           indicator_id, sum(x)::BIGINT AS x, sum(n)::BIGINT AS n
    FROM municipal JOIN municipality_reference r USING (municipality_code)
    GROUP BY ALL
    UNION ALL BY NAME
    SELECT period_type, period, 'grupp' AS unit_type, g.peer_group AS unit_code, target_group, stratum,
           indicator_id, sum(x)::BIGINT AS x, sum(n)::BIGINT AS n
    FROM municipal JOIN peer_groups g USING (municipality_code)
    GROUP BY ALL
), weighted AS (
    SELECT u.*, u.n * s.standard_x / s.standard_n AS e
    FROM units u JOIN standard s USING (period_type, period, target_group, stratum, indicator_id)
), cells AS (
    SELECT period_type, period, unit_type, unit_code,
           CASE WHEN GROUPING(target_group) = 1 THEN 'alla' ELSE target_group END AS target_group, indicator_id,
           sum(x)::BIGINT AS observed, sum(n)::BIGINT AS denominator,
           sum(e ORDER BY target_group, stratum) AS expected
    FROM weighted
    GROUP BY GROUPING SETS ((period_type, period, unit_type, unit_code, target_group, indicator_id),
                            (period_type, period, unit_type, unit_code, indicator_id))
), country AS (
    SELECT period_type, period,
           CASE WHEN GROUPING(target_group) = 1 THEN 'alla' ELSE target_group END AS target_group, indicator_id,
           sum(standard_x) / sum(standard_n) AS standard_share
    FROM standard
    GROUP BY GROUPING SETS ((period_type, period, target_group, indicator_id), (period_type, period, indicator_id))
), limited AS (
    SELECT c.*, k.standard_share,
           c.denominator < $min_n OR c.expected < $expected_floor AS suppressed,
{% for level, z in (('95', '$z95'), ('998', '$z998')) %}
           CASE WHEN c.observed < {{ byars_from }} THEN x.low{{ level }}
                ELSE c.observed * pow(1 - 1 / (9 * c.observed) - {{ z }} / (3 * sqrt(c.observed)), 3) END AS o_low{{ level }},
           CASE WHEN c.observed < {{ byars_from }} THEN x.high{{ level }}
                ELSE (c.observed + 1) * pow(1 - 1 / (9 * (c.observed + 1)) + {{ z }} / (3 * sqrt(c.observed + 1)), 3) END AS o_high{{ level }}{{ ',' if not loop.last }}
{% endfor %}
    FROM cells c
    JOIN country k USING (period_type, period, target_group, indicator_id)
    LEFT JOIN exact_limits x ON x.observed = c.observed
)
SELECT
    l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.indicator_id,
    l.observed, l.expected, l.denominator,
    100 * l.standard_share AS standard_value,
    l.observed / nullif(l.expected, 0) AS ratio,
    l.o_low95 / nullif(l.expected, 0) AS ratio_ci95_low, l.o_high95 / nullif(l.expected, 0) AS ratio_ci95_high,
    l.o_low998 / nullif(l.expected, 0) AS ratio_ci998_low, l.o_high998 / nullif(l.expected, 0) AS ratio_ci998_high,
    CASE WHEN l.expected > 0 THEN least(100.0, 100 * l.standard_share * l.observed / nullif(l.expected, 0)) END AS value,
    CASE WHEN l.expected > 0 THEN least(100.0, 100 * l.standard_share * l.o_low95 / nullif(l.expected, 0)) END AS ci95_low,
    CASE WHEN l.expected > 0 THEN least(100.0, 100 * l.standard_share * l.o_high95 / nullif(l.expected, 0)) END AS ci95_high,
    CASE WHEN l.expected > 0 THEN least(100.0, 100 * l.standard_share * l.o_low998 / nullif(l.expected, 0)) END AS ci998_low,
    CASE WHEN l.expected > 0 THEN least(100.0, 100 * l.standard_share * l.o_high998 / nullif(l.expected, 0)) END AS ci998_high,
    l.suppressed,
    CASE
        WHEN l.suppressed THEN {{ significance.NOT_COMPARABLE | literal }}
        WHEN l.o_low95 / nullif(l.expected, 0) > 1 THEN CASE c.polarity WHEN $higher THEN {{ significance.BETTER | literal }} ELSE {{ significance.WORSE | literal }} END
        WHEN l.o_high95 / nullif(l.expected, 0) < 1 THEN CASE c.polarity WHEN $higher THEN {{ significance.WORSE | literal }} ELSE {{ significance.BETTER | literal }} END
        ELSE {{ significance.SIMILAR | literal }}
    END AS significance
FROM limited l
JOIN indicator_catalogue c USING (indicator_id)
ORDER BY l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.indicator_id
