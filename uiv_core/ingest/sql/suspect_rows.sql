-- The staged rows that may break a rule of the contract, in line order, dates as timestamps (for
-- pandera): only these are validated by the pandera model `FollowupRow`, which decides every
-- failure and its reason; a row selected here that breaks nothing is simply valid. One predicate
-- per check of the model, marked with its reason (tests/test_validation.py holds the two
-- together, and compares this path with validating every row on the whole bad-input corpus).
-- Generated: the table, the model's required columns, the code lists (contract constants, as
-- literals). Values: $record_id_max, $control_characters, $earliest, $substance_group.
{% macro codes(values) %}({% for v in values %}{{ v | literal }}{{ ', ' if not loop.last }}{% endfor %}){% endmacro %}
SELECT * REPLACE (CAST(followup_date AS TIMESTAMP) AS followup_date, CAST(start_date AS TIMESTAMP) AS start_date,
                  CAST(load_date AS TIMESTAMP) AS load_date)
FROM {{ table | ident }} s
WHERE FALSE
{% for column in required %}
   OR s.{{ column | ident }} IS NULL  -- reason: not_nullable
{% endfor %}
   OR length(s.record_id) > $record_id_max OR regexp_matches(s.record_id, $control_characters)  -- reason: invalid_code
   OR s.municipality_code NOT IN {{ codes(municipalities) }}  -- reason: invalid_municipality
{% for column, values in code_lists.items() %}
   OR s.{{ column | ident }} NOT IN {{ codes(values) }}  -- reason: invalid_code
{% endfor %}
{% for column in needs %}
   OR s.{{ column | ident }} NOT IN {{ codes(need_values) }}  -- reason: invalid_need
{% endfor %}
{% for column in ratings %}
   OR s.{{ column | ident }} NOT IN {{ codes(rating_values) }}  -- reason: invalid_rating
{% endfor %}
   OR s.satisfaction NOT IN {{ codes(satisfaction_values) }}  -- reason: invalid_rating
{% for column in ('followup_date', 'start_date') %}
   OR (s.{{ (column ~ '_text') | ident }} IS NOT NULL AND (s.{{ column | ident }} IS NULL
       OR s.{{ column | ident }} < CAST($earliest AS DATE) OR s.{{ column | ident }} > s.load_date))  -- reason: invalid_date
{% endfor %}
   OR s.start_date > s.followup_date  -- reason: start_after_followup
   OR (s.target_group IN {{ codes(target_groups) }}
       AND (s.target_group = $substance_group) <> (s.main_substance IS NOT NULL))  -- reason: substance_mismatch
{% for need, rating in need_ratings %}
   OR (s.{{ need | ident }} = '0' AND s.{{ rating | ident }} IN {{ codes(answered) }})  -- reason: rating_without_need
{% endfor %}
   OR s.earlier_line IS NOT NULL  -- reason: duplicate_in_file
ORDER BY line_number
