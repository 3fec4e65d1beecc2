{% import "_macros.sql" as m %}
-- Rows with no value at all (e.g. `;;;;` or spaces) are not rows.
DELETE FROM {{ table | ident }} WHERE nullif(trim({{ m.concatenated(columns) }}), '') IS NULL
