-- indicators.parquet: every published period, with unit and indicator names (registered
-- export_unit_names, export_catalogue) and the comparison with the country.
SELECT {% for k in keys[:4] %}p.{{ k }}, {% endfor %}n.unit_name,
       {% for k in keys[4:] %}p.{{ k }}, {% endfor %}k.indicator_name, k.measure,
       {% for k in figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.quartile, c.colour, c.funnel, c.trend
FROM published_indicators p
JOIN export_unit_names n USING (unit_type, unit_code)
JOIN export_catalogue k USING (indicator_id)
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c USING ({{ keys | join(', ') }})
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

