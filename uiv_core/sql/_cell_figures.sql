{# What a cell's counts give, shared by the views `indicators` and `published_indicators`:
   the value, the Wilson (share) or Student-t (mean) limits at 95 % and 99.8 % (the formulas of
   uiv_core.cells.statistics, PHEindicatormethods, written out in SQL) and, for means, the sd.
   Imported `with context`; generated parts (uiv_core.cells.indicators.view_parts): `mean_ids`,
   the catalogue's means (every other indicator is a share), `z95`, `z998` (written exactly, read
   as DOUBLE: a stored view holds no parameters).
   `counted(source)` is a CTE body over a relation with the counts (numerator, denominator,
   sum_squares; a hidden cell's NULL counts give NULL figures: greatest/least skip NULLs, so the
   limits test for them); `limits(level)` the two limit columns, read after
   FROM l `joined()`. #}
{% macro id_list(ids) %}({% for id in ids %}{{ id | literal }}{{ ', ' if not loop.last }}{% endfor %}){% endmacro %}
{% macro counted(source) %}
    SELECT c.*, c.indicator_id NOT IN {{ id_list(mean_ids) }} AS is_percent,
           CASE WHEN c.indicator_id IN {{ id_list(mean_ids) }}
                THEN c.numerator / c.denominator
                ELSE 100 * c.numerator / c.denominator END AS value,
           CASE WHEN c.indicator_id IN {{ id_list(mean_ids) }} AND c.denominator > 1
                THEN sqrt(greatest(0, (c.sum_squares - c.numerator * c.numerator / c.denominator) / (c.denominator - 1)))
           END AS sd
    FROM {{ source }} c
{% endmacro %}
{% macro limits(level) %}
{% set zz = 'zs.z' ~ level %}
{% set root = zz ~ ' * sqrt(' ~ zz ~ ' * ' ~ zz ~ ' + 4 * l.numerator * (1 - l.numerator / l.denominator))' %}
{% set t_half = 't.t' ~ level ~ ' * l.sd / sqrt(l.denominator)' %}
    CASE WHEN l.denominator IS NULL THEN NULL
         WHEN l.is_percent
         THEN 100 * greatest(0, least(1, (2 * l.numerator + {{ zz }} * {{ zz }} - {{ root }}) / 2 / (l.denominator + {{ zz }} * {{ zz }})))
         ELSE l.value - {{ t_half }} END AS ci{{ level }}_low,
    CASE WHEN l.denominator IS NULL THEN NULL
         WHEN l.is_percent
         THEN 100 * greatest(0, least(1, (2 * l.numerator + {{ zz }} * {{ zz }} + {{ root }}) / 2 / (l.denominator + {{ zz }} * {{ zz }})))
         ELSE l.value + {{ t_half }} END AS ci{{ level }}_high
{%- endmacro %}
{% macro joined() %}
CROSS JOIN (SELECT CAST({{ z95 | literal }} AS DOUBLE) AS z95, CAST({{ z998 | literal }} AS DOUBLE) AS z998) AS zs
LEFT JOIN indicator_t_quantiles t ON t.df = l.denominator - 1
{%- endmacro %}
