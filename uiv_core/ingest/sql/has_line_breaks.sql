{% import "_macros.sql" as m %}
-- Does any row hold a quoted line break? (one concatenation per row, no counting)
SELECT coalesce(bool_or(contains({{ m.concatenated(columns) }}, chr(10))), FALSE) FROM {{ table | ident }}
