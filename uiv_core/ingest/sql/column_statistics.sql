-- DuckDB's statistics of each of the raw table's `columns` (`stats()`: among them the longest
-- cell in bytes, an upper bound kept as the table is written, so no row is read for it; an empty
-- table gives no row).
SELECT
{% for c in columns %}
    stats({{ c | ident }}){{ ',' if not loop.last }}
{% endfor %}
FROM {{ table | ident }}
LIMIT 1
