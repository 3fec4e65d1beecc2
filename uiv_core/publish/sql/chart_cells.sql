-- The published cells a chart draws (breakdown 'alla'), with their comparison against the
-- country. `selection` (generated) picks the cells; values: $period_type, $target_group and
-- those of the selection ($indicator, $period, $groups, $unit, $county, $peers, $ids).
SELECT {% for c in columns %}{{ 'c.' if c in ('significance', 'colour', 'funnel') else 'p.' }}{{ c }}{{ ', ' if not loop.last }}{% endfor %}

FROM published_indicators p
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c
    USING (period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id)
WHERE p.breakdown = 'alla' AND p.period_type = $period_type AND p.target_group = $target_group
{% if selection == 'ranked' %}
  AND p.indicator_id = $indicator AND p.period = $period AND (p.unit_type <> 'grupp' OR $groups)
{% elif selection == 'trend' %}
  AND p.indicator_id = $indicator AND (p.unit_code IN ($unit, $county, '0000')
       OR p.unit_type = 'grupp' AND list_contains($peers::VARCHAR[], p.unit_code))
{% elif selection == 'indicators' %}
  AND list_contains($ids::VARCHAR[], p.indicator_id)
{% elif selection == 'spine' %}
  AND p.period = $period AND p.unit_type IN ('kommun', 'riket')
{% elif selection == 'tartan' %}
  AND p.period = $period AND p.unit_type <> 'grupp'
{% else %}
  {{ raise_unknown_selection }}
{% endif %}
ORDER BY p.unit_type, p.unit_code, p.indicator_id, p.period
