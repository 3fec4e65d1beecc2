{% set period_filter = ' AND period = $period' if by_period else '' %}
-- indicators.parquet: every published period, with unit and indicator names (registered
-- export_unit_names, export_catalogue) and the comparisons with the country, the county and the kommungrupp.
-- With `by_period`, the rows of one period ($period): the file is written period after period,
-- in the order of its rows (period first), so that the sort holds one period at a time.
SELECT {% for k in keys[:4] %}p.{{ k }}, {% endfor %}n.unit_name,
       {% for k in keys[4:] %}p.{{ k }}, {% endfor %}k.indicator_name, k.measure,
       {% for k in figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.quartile, c.colour, c.funnel, c.trend,
       l.county_value, l.county_significance, g.group_value, g.group_significance
FROM published_indicators p
JOIN export_unit_names n USING (unit_type, unit_code)
JOIN export_catalogue k USING (indicator_id)
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket'{{ period_filter }}) c USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS county_value, significance AS county_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'lan'{{ period_filter }}) l USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS group_value, significance AS group_significance
           FROM published_comparisons WHERE benchmark_unit_type = 'grupp'{{ period_filter }}) g USING ({{ keys | join(', ') }})
{% if by_period %}WHERE p.period = $period{% endif %}

ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

