{# period arithmetic shared by the rooms, imported with {% import "_periods.sql" as periods %} #}
{# the rolling window a year before a rolling window's label: '2026Q3' → '2025Q3' #}
{% macro year_before(label) %}CAST(CAST(left({{ label }}, 4) AS INTEGER) - 1 AS VARCHAR) || right({{ label }}, 2){% endmacro %}
