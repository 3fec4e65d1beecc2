-- The rows of one indicator file (`part`, _export_scope.sql): a cell's key and
-- figures, its suppression and its comparisons with the country, the county and the kommungrupp; `target_group` (generated flag):
-- only the target group $tg; `paged`: $limit rows from $offset (one sheet).
SELECT {% for k in keys + figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.colour, c.quartile, c.funnel, c.trend,
       l.county_value, l.county_significance, g.group_value, g.group_significance
FROM published_indicators p
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS county_value, significance AS county_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'lan') l USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS group_value, significance AS group_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'grupp') g USING ({{ keys | join(', ') }})
WHERE {% include "_export_scope.sql" %}
{% if target_group %}
  AND p.target_group = $tg
{% endif %}
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

{% if paged %}
LIMIT $limit OFFSET $offset
{% endif %}
