{% import "_macros.sql" as m %}
-- Rows with no value at all (e.g. `;;;;` or spaces) are not rows. The first column is tested
-- alone first: a row with a value there (nearly all) is never concatenated.
DELETE FROM {{ table | ident }}
WHERE ({{ columns[0] | ident }} IS NULL OR trim({{ columns[0] | ident }}) = '')
  AND nullif(trim({{ m.concatenated(columns) }}), '') IS NULL
