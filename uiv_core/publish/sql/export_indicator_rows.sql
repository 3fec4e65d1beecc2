-- The rows of one indicator file (`part`, _export_scope.sql) from `export_cells` (made once per
-- export, the latest rolling window given as the parameter `latest`); `target_group` (generated flag): only the
-- target group $tg; `paged`: $limit rows from $offset (one sheet).
SELECT p.* FROM export_cells p
WHERE {% include "_export_scope.sql" %}
{% if target_group %}
  AND p.target_group = $tg
{% endif %}
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

{% if paged %}
LIMIT $limit OFFSET $offset
{% endif %}
