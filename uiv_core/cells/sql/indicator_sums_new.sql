-- The additive sums per quarter × municipality × target group (and 'alla') × breakdown value:
-- GROUPING SETS over indicator_finest, with and without the target group, each breakdown alone.
CREATE OR REPLACE TEMP TABLE indicator_sums_new AS
SELECT * FROM (
    SELECT
        quarter, municipality_code,
        CASE WHEN GROUPING(target_group) = 1 THEN 'alla' ELSE target_group END AS target_group,
        CASE {% for b in breakdowns %}WHEN GROUPING({{ b }}) = 0 THEN '{{ b }}' {% endfor %}ELSE 'alla' END AS breakdown,
        CASE {% for b in breakdowns %}WHEN GROUPING({{ b }}) = 0 THEN {{ b }} {% endfor %}ELSE 'alla' END AS breakdown_value,
        {% include "_resum.sql" %}
    FROM indicator_finest
    GROUP BY GROUPING SETS (
{% for with_group in (true, false) %}
{% set group = ['quarter', 'municipality_code'] + (['target_group'] if with_group else []) %}
        ({{ group | join(', ') }}),
{% for b in breakdowns %}
        ({{ (group + [b]) | join(', ') }}){{ ',' if not (loop.last and not with_group) }}
{% endfor %}
{% endfor %}
    )
)
WHERE breakdown_value IS NOT NULL  -- main_substance is blank outside target group missbruk
ORDER BY quarter, municipality_code, target_group, breakdown, breakdown_value
