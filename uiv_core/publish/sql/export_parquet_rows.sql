-- indicators.parquet: every published period, with unit and indicator names (registered
-- export_unit_names, export_catalogue) and the comparisons with the country, the county and the kommungrupp.
SELECT {% for k in keys[:4] %}p.{{ k }}, {% endfor %}n.unit_name,
       {% for k in keys[4:] %}p.{{ k }}, {% endfor %}k.indicator_name, k.measure,
       {% for k in figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.quartile, c.colour, c.funnel, c.trend,
       l.county_value, l.county_significance, g.group_value, g.group_significance
FROM published_indicators p
JOIN export_unit_names n USING (unit_type, unit_code)
JOIN export_catalogue k USING (indicator_id)
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS county_value, significance AS county_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'lan') l USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS group_value, significance AS group_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'grupp') g USING ({{ keys | join(', ') }})
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

