-- The longest cell (in characters) of each of the raw table's `columns`, in their order: only a
-- column with a cell of 11 characters or more can hold an identity number, so only those are
-- searched (one pass of cheap lengths instead of a regular expression over every cell).
SELECT
{% for c in columns %}
    max(length({{ c | ident }})){{ ',' if not loop.last }}
{% endfor %}
FROM {{ table | ident }}
