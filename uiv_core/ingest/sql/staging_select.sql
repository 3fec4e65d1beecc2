{% import "_macros.sql" as m %}
-- One export's cells, normalised (expressions generated per contract column in uiv_core.ingest.staging),
-- with the unknown columns kept as JSON. Generated: the raw table, the expressions, the extra columns.
SELECT
    line_number,
{% for name, expression in columns %}
    {{ expression }} AS {{ name }},
{% endfor %}
{% if extra %}
    {{ m.json_object(extra) }} AS extra_columns
{% else %}
    CAST(NULL AS JSON) AS extra_columns
{% endif %}
FROM {{ raw | ident }}
