-- indicatorer.csv, its rows as text (exports.py `_write_indicator_csv`): the rows of `export_cells`
-- (the latest rolling window and the calendar years), each written as Python's csv module writes
-- the cells the workbooks show (`_indicator_rows`), `;` between them: Swedish labels from the
-- registered relation export_labels (kind, code, label), names from export_unit_names and
-- export_catalogue (which also gives each indicator's decimals); a figure rounded as published with
-- a decimal comma; `..` for a hidden figure or benchmark; a unit code of digits as ="0126"; text
-- that a spreadsheet could take for a formula behind an apostrophe; a cell holding ; " CR or LF
-- quoted. tests/test_exports.py checks the file against the rows, cell by cell.
{% macro quoted(x) %}CASE WHEN regexp_matches({{ x }}, '[;"\r\n]') THEN '"' || replace({{ x }}, '"', '""') || '"' ELSE {{ x }} END{% endmacro %}
{% macro text(x) %}coalesce({{ quoted("CASE WHEN left(" ~ x ~ ", 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || " ~ x ~ " ELSE " ~ x ~ " END") }}, ''){% endmacro %}
{% macro figure(x) %}coalesce(replace(printf(k.number_format, {{ x }}), '.', ','), ''){% endmacro %}
{% macro label(kind, x) %}LEFT JOIN export_labels {{ kind }} ON {{ kind }}.kind = '{{ kind }}' AND {{ kind }}.code = {{ x }}{% endmacro %}
SELECT concat_ws(';',
    {{ text("p.period") }},
    {{ text("period_type.label") }},
    CASE WHEN regexp_matches(p.unit_code, '^[0-9]+$') THEN '"=""' || p.unit_code || '"""' ELSE {{ text("p.unit_code") }} END,
    {{ text("n.unit_name") }},
    {{ text("unit_type.label") }},
    {{ text("target_group.label") }},
    {{ text("breakdown.label") }},
    {{ text("coalesce(breakdown_value.label, p.breakdown_value)") }},
    {{ text("p.indicator_id") }},
    {{ text("k.indicator_name") }},
    {{ text("measure.label") }},
    {% for f in figures %}
    CASE WHEN p.suppression IS NOT NULL THEN {{ mark | literal }} ELSE {% if f in ("numerator", "denominator") %}coalesce(CAST(p.{{ f }} AS VARCHAR), ''){% else %}{{ figure("p." ~ f) }}{% endif %} END,
    {% endfor %}
    {{ text("suppression.label") }},
    CASE WHEN p.country_value IS NULL AND p.unit_type = 'kommun' THEN {{ mark | literal }} ELSE {{ figure("p.country_value") }} END,
    {{ text("significance.label") }},
    {{ text("colour.label") }},
    coalesce(CAST(p.quartile AS VARCHAR), ''),
    {{ text("funnel.label") }},
    {{ text("trend.label") }},
    CASE WHEN p.county_value IS NULL AND p.county_significance IS NOT NULL THEN {{ mark | literal }} ELSE {{ figure("p.county_value") }} END,
    {{ text("county_significance.label") }},
    CASE WHEN p.group_value IS NULL AND p.group_significance IS NOT NULL THEN {{ mark | literal }} ELSE {{ figure("p.group_value") }} END,
    {{ text("group_significance.label") }}
) AS line
FROM export_cells p
JOIN export_unit_names n USING (unit_type, unit_code)
JOIN export_catalogue k USING (indicator_id)
{{ label("period_type", "p.period_type") }}
{{ label("unit_type", "p.unit_type") }}
{{ label("target_group", "p.target_group") }}
{{ label("breakdown", "p.breakdown") }}
LEFT JOIN export_labels breakdown_value ON breakdown_value.kind = 'value ' || p.breakdown AND breakdown_value.code = p.breakdown_value
{{ label("measure", "k.measure") }}
{{ label("suppression", "p.suppression") }}
LEFT JOIN export_labels significance ON significance.kind = 'significance' AND significance.code = p.significance
{{ label("colour", "p.colour") }}
{{ label("funnel", "p.funnel") }}
{{ label("trend", "p.trend") }}
LEFT JOIN export_labels county_significance ON county_significance.kind = 'significance' AND county_significance.code = p.county_significance
LEFT JOIN export_labels group_significance ON group_significance.kind = 'significance' AND group_significance.code = p.group_significance
ORDER BY {% for k in keys %}p.{{ k }}{{ ', ' if not loop.last }}{% endfor %}

