-- One hash aggregation of `followups` at the finest grain (quarter × municipality × target group
-- × the four breakdown columns): far fewer rows than follow-ups for the grouping sets that follow.
-- Per indicator of the catalogue: numerator "x:<id>", denominator "n:<id>" and, for a mean, the
-- sum of squares "ss:<id>" (0 for a share: it keeps UNPIVOT from dropping the column). A NULL in
-- the denominator's condition counts as not rated.
-- Generated: the catalogue's expressions. `partial`: only the quarters of TEMP sum_quarters.
CREATE OR REPLACE TEMP TABLE indicator_finest AS
SELECT {{ finest | join(', ') }},
{% for i in indicators %}
{% set counted = 'coalesce(' ~ i.denominator ~ ', FALSE)' %}
{% if i.unit == percent %}
    count_if({{ counted }} AND coalesce({{ i.numerator }}, FALSE)) AS {{ ('x:' ~ i.id) | ident }},
    count_if({{ counted }}) AS {{ ('n:' ~ i.id) | ident }},
    CAST(0 AS BIGINT) AS {{ ('ss:' ~ i.id) | ident }}{{ ',' if not loop.last }}
{% else %}
{% set value = 'CAST(' ~ i.numerator ~ ' AS BIGINT)' %}
    coalesce(sum(CASE WHEN {{ counted }} THEN {{ value }} END), 0)::BIGINT AS {{ ('x:' ~ i.id) | ident }},
    count_if({{ counted }}) AS {{ ('n:' ~ i.id) | ident }},
    coalesce(sum(CASE WHEN {{ counted }} THEN {{ value }} * {{ value }} END), 0)::BIGINT AS {{ ('ss:' ~ i.id) | ident }}{{ ',' if not loop.last }}
{% endif %}
{% endfor %}
FROM followups
{% if partial %}
WHERE quarter IN (SELECT quarter FROM sum_quarters)
{% endif %}
GROUP BY {{ finest | join(', ') }}
