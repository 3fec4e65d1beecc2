{% import "_macros.sql" as m %}
-- For each row in order: the quoted line breaks in the rows before it.
SELECT coalesce(sum({{ m.line_breaks(columns) }}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
FROM {{ table | ident }} ORDER BY rowid
