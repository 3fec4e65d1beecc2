-- Rows per target group of one indicator workbook (`part`, _export_scope.sql; one sheet holds at most a million rows).
SELECT target_group, count(*) FROM published_indicators p
WHERE {% include "_export_scope.sql" %}
GROUP BY ALL
