{# shared SQL fragments, imported with {% import "_macros.sql" as m %} #}
{% macro quarter(date) %}strftime({{ date }}, '%Y') || 'Q' || quarter({{ date }}){% endmacro %}
{% macro followup_columns(areas) %}
    municipality_code VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    quarter VARCHAR NOT NULL,
    followup_date DATE NOT NULL,
    start_date DATE NOT NULL,
    sex VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    target_group VARCHAR NOT NULL,
    main_substance VARCHAR,
    intervention VARCHAR NOT NULL,
    completed VARCHAR NOT NULL,
{% for a in areas %}
    need_{{ a }} BOOLEAN NOT NULL,
{% endfor %}
{% for a in areas %}
    rating_{{ a }} UTINYINT,
{% endfor %}
    satisfaction UTINYINT,
    extra_columns JSON,
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
{%- endmacro %}
{# the named columns of a row as one JSON object, {"header": "text", ...} (the quarantine's raw row,
   the follow-ups' extra columns) #}
{% macro json_object(columns) %}to_json(struct_pack({% for c in columns %}{{ c | ident }} := {{ c | ident }}{{ ', ' if not loop.last }}{% endfor %})){% endmacro %}
{# all the columns' text as one value (NULL as ''): one call however many columns there are
   (a chain of thousands of operators exceeds DuckDB's expression depth) #}
{% macro concatenated(columns) %}concat_ws('', {% for c in columns %}{{ c | ident }}{{ ', ' if not loop.last }}{% endfor %}){% endmacro %}
{% macro line_breaks(columns) %}(length({{ concatenated(columns) }}) - length(replace({{ concatenated(columns) }}, chr(10), ''))){% endmacro %}
