-- Rows per target group of one indicator workbook (`part`, _export_scope.sql, from `export_cells`
-- with the latest rolling window as the parameter `latest`; one sheet holds at most a million rows).
SELECT target_group, count(*) FROM export_cells p
WHERE {% include "_export_scope.sql" %}
GROUP BY ALL
