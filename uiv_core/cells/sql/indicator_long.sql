-- One row per cell: UNPIVOT the (numerator, denominator, sum of squares) triple of each indicator.
CREATE OR REPLACE TEMP TABLE indicator_long AS
SELECT * FROM (
    UNPIVOT indicator_units ON
{% for i in indicators %}
        ({{ ('x:' ~ i.id) | ident }}, {{ ('n:' ~ i.id) | ident }}, {{ ('ss:' ~ i.id) | ident }}) AS {{ i.id | ident }}{{ ',' if not loop.last }}
{% endfor %}
    INTO NAME indicator_id VALUE numerator, denominator, sum_squares
)
WHERE denominator > 0
