{#- Included by staged_export.sql (evaluated once per row while staging, as the column `suspect`)
    and by suspect_rows.sql. A row that may break a rule of the contract: only such rows are
    validated by the pandera model `FollowupRow`, which decides every failure and its reason; a
    row selected here that breaks nothing is simply valid. One predicate per check of the model,
    marked with its reason (tests/test_validation.py holds the two together, and compares this
    path with validating every row on the whole bad-input corpus). The row's alias is `s`.
    Generated: the model's required columns, the code lists (contract constants, as literals).
    Values: $record_id_max, $control_characters, $earliest, $substance_group. -#}
{# `x` is one of `values` (NULL for a NULL `x`, as with IN), written as comparisons joined by OR:
   DuckDB turns an IN list (or list_contains) of five values or more into a join that carries the
   whole row, one per list (34 of them cost 10 s of 25 in staging 10 M rows) #}
{% macro one_of(x, values) %}({% for v in values %}{{ x }} = {{ v | literal }}{{ ' OR ' if not loop.last }}{% endfor %}){% endmacro %}
FALSE
{% for column in required %}
   OR s.{{ column | ident }} IS NULL  -- reason: not_nullable
{% endfor %}
   OR length(s.record_id) > $record_id_max OR regexp_matches(s.record_id, $control_characters)  -- reason: invalid_code
   OR s.municipality_code NOT IN ({% for v in municipalities %}{{ v | literal }}{{ ', ' if not loop.last }}{% endfor %})  -- reason: invalid_municipality
{% for column, values in code_lists.items() %}
   OR NOT {{ one_of('s.' ~ (column | ident), values) }}  -- reason: invalid_code
{% endfor %}
{% for column in needs %}
   OR NOT {{ one_of('s.' ~ (column | ident), need_values) }}  -- reason: invalid_need
{% endfor %}
{% for column in ratings %}
   OR NOT {{ one_of('s.' ~ (column | ident), rating_values) }}  -- reason: invalid_rating
{% endfor %}
   OR NOT {{ one_of('s.satisfaction', satisfaction_values) }}  -- reason: invalid_rating
{% for column in ('followup_date', 'start_date') %}
   OR (s.{{ (column ~ '_text') | ident }} IS NOT NULL AND (s.{{ column | ident }} IS NULL
       OR s.{{ column | ident }} < CAST($earliest AS DATE) OR s.{{ column | ident }} > s.load_date))  -- reason: invalid_date
{% endfor %}
   OR s.start_date > s.followup_date  -- reason: start_after_followup
   OR ({{ one_of('s.target_group', target_groups) }}
       AND (s.target_group = $substance_group) <> (s.main_substance IS NOT NULL))  -- reason: substance_mismatch
{% for need, rating in need_ratings %}
   OR (s.{{ need | ident }} = '0' AND {{ one_of('s.' ~ (rating | ident), answered) }})  -- reason: rating_without_need
{% endfor %}
   OR s.earlier_line IS NOT NULL  -- reason: duplicate_in_file
