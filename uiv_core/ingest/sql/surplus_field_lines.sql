{% import "_macros.sql" as m %}
-- The first lines holding a value in a field beyond the header (`columns`: those fields).
SELECT line_number FROM {{ table | ident }}
WHERE nullif(trim({{ m.concatenated(columns) }}), '') IS NOT NULL
ORDER BY 1 LIMIT 5
