{# every sum column of the catalogue, summed again (years, rolling windows, counties, ...) #}
{% for column in sum_columns %}
CAST(sum({{ column | ident }}) AS BIGINT) AS {{ column | ident }}{{ ',' if not loop.last }}
{% endfor %}
