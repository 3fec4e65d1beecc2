-- The rows of one indicator file (`part`, _export_scope.sql): a cell's key and
-- figures, its suppression and its comparison with the country; `target_group` (generated flag):
-- only the target group $tg; `paged`: $limit rows from $offset (one sheet).
SELECT {% for k in keys + figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.colour, c.quartile, c.funnel, c.trend
FROM published_indicators p
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c USING ({{ keys | join(', ') }})
WHERE {% include "_export_scope.sql" %}
{% if target_group %}
  AND p.target_group = $tg
{% endif %}
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

{% if paged %}
LIMIT $limit OFFSET $offset
{% endif %}
