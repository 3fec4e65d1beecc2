-- Cells of a raw table's `columns` that look like an identity number ($pattern): one UNPIVOT over
-- the columns (also for thousands of them; NULL cells are left out). The pattern cannot match fewer
-- than 11 characters (six digits, a sign, four digits), so shorter cells (codes, ratings, dates)
-- are passed over before any regular expression runs.
SELECT column_name, line_number, cell
FROM (UNPIVOT (SELECT line_number, {% for c in columns %}{{ c | ident }}{{ ', ' if not loop.last }}{% endfor %}
               FROM {{ table | ident }})
      ON {% for c in columns %}{{ c | ident }}{{ ', ' if not loop.last }}{% endfor %}
      INTO NAME column_name VALUE cell)
WHERE length(cell) >= 11 AND regexp_matches(cell, $pattern)
ORDER BY line_number, column_name
