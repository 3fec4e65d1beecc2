-- The follow-ups of the adjusted periods' quarters counted per stratum: quarter × municipality ×
-- target group × the strata columns (main substance within target group missbruk only, '' for
-- a missing value), one numerator "x:<id>" and denominator "n:<id>" per adjusted indicator.
-- Generated: the adjusted indicators of the catalogue, the strata columns, the substance group.
CREATE OR REPLACE TEMP TABLE adjusted_strata AS
SELECT
    quarter, municipality_code, target_group,
{% for column in strata %}
{% if column == 'main_substance' %}
    CASE WHEN target_group = {{ substance_group | literal }} THEN coalesce(main_substance, '') ELSE '' END AS main_substance,
{% else %}
    coalesce({{ column | ident }}, '') AS {{ column | ident }},
{% endif %}
{% endfor %}
{% for i in indicators %}
{% set counted = 'coalesce(' ~ i.denominator ~ ', FALSE)' %}
    count_if({{ counted }} AND coalesce({{ i.numerator }}, FALSE)) AS {{ ('x:' ~ i.id) | ident }},
    count_if({{ counted }}) AS {{ ('n:' ~ i.id) | ident }}{{ ',' if not loop.last }}
{% endfor %}
FROM followups
WHERE quarter IN (SELECT quarter FROM adjusted_quarters)
GROUP BY ALL
