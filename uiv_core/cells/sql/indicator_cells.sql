-- Every cell: value, Wilson (share) or Student-t (mean) limits at 95 % and 99.8 % (the formulas
-- of uiv_core.cells.statistics, PHEindicatormethods, written out in SQL), and the primary suppression.
-- Values: $min_n, $z95, $z998; $percent and $mean are the catalogue's unit codes.
{% macro limits(level) %}
{% set z = 'z' ~ level %}
{% set root = z ~ ' * sqrt(' ~ z ~ ' * ' ~ z ~ ' + 4 * l.numerator * (1 - l.numerator / l.denominator))' %}
{% set t_half = 't.t' ~ level ~ ' * l.sd / sqrt(l.denominator)' %}
    CASE WHEN c.unit = $percent
         THEN 100 * greatest(0, least(1, (2 * l.numerator + {{ z }} * {{ z }} - {{ root }}) / 2 / (l.denominator + {{ z }} * {{ z }})))
         ELSE l.value - {{ t_half }} END AS ci{{ level }}_low,
    CASE WHEN c.unit = $percent
         THEN 100 * greatest(0, least(1, (2 * l.numerator + {{ z }} * {{ z }} + {{ root }}) / 2 / (l.denominator + {{ z }} * {{ z }})))
         ELSE l.value + {{ t_half }} END AS ci{{ level }}_high
{%- endmacro %}
CREATE OR REPLACE TEMP TABLE indicator_cells AS
WITH l AS (
    SELECT l.*, c.unit,
           CASE WHEN c.unit = $percent THEN 100 * l.numerator / l.denominator
                ELSE l.numerator / l.denominator END AS value,
           CASE WHEN c.unit = $mean AND l.denominator > 1
                THEN sqrt(greatest(0, (l.sum_squares - l.numerator * l.numerator / l.denominator) / (l.denominator - 1)))
           END AS sd
    FROM indicator_long l JOIN indicator_catalogue c USING (indicator_id)
)
SELECT
    l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.breakdown,
    l.breakdown_value, l.indicator_id, CAST(l.numerator AS BIGINT) AS numerator,
    CAST(l.denominator AS BIGINT) AS denominator, l.value,
{{ limits('95') }},
{{ limits('998') }},
    l.denominator < $min_n AS suppressed,
    l.sd
FROM l JOIN indicator_catalogue c USING (indicator_id)
CROSS JOIN (SELECT $z95 AS z95, $z998 AS z998) AS zs
LEFT JOIN t_quantiles t ON t.df = l.denominator - 1
ORDER BY period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id
