{% import "_macros.sql" as m %}
-- Does any row hold a quoted line break?
SELECT bool_or({{ m.line_breaks(columns) }} > 0) FROM {{ table | ident }}
