-- The rows of the indicator files (indicatorer.csv and the three workbooks: _export_scope.sql,
-- part 'all', the latest rolling window $latest), once for all of them: a cell's key and figures,
-- its suppression and its comparisons with the country, the county and the kommungrupp. Each file
-- then reads its part (export_indicator_rows.sql); each reading them from the views took 2-3 s
-- at 2 M follow-ups (a sheet of each target group read them again).
CREATE OR REPLACE TEMP TABLE export_cells AS
SELECT {% for k in keys + figures %}p.{{ k }}, {% endfor %}p.suppression,
       c.benchmark_value AS country_value, c.significance, c.colour, c.quartile, c.funnel, c.trend,
       l.county_value, l.county_significance, g.group_value, g.group_significance
FROM published_indicators p
LEFT JOIN (SELECT * FROM published_comparisons p WHERE benchmark_unit_type = 'riket' AND {% include "_export_scope.sql" %}) c USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS county_value, significance AS county_significance
           FROM published_comparisons p WHERE benchmark_unit_type = 'lan' AND {% include "_export_scope.sql" %}) l USING ({{ keys | join(', ') }})
LEFT JOIN (SELECT {{ keys | join(', ') }}, benchmark_value AS group_value, significance AS group_significance
           FROM published_comparisons p WHERE benchmark_unit_type = 'grupp' AND {% include "_export_scope.sql" %}) g USING ({{ keys | join(', ') }})
WHERE {% include "_export_scope.sql" %}

ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

