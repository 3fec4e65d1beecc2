{% import "_macros.sql" as m %}
-- The typed, valid rows of one staged export (`staged`, less the lines in `failures`), in the
-- file's order (no sort: every reader of `followups` orders what it reads). A view, not a table:
-- the counts, the quarters and the replaced versions read only its keys (each reading repeats the
-- cheap test against the failures), and insert_followups.sql types the rows once (a TEMP copy of
-- 10 M rows cost 9 s). The file's name, checksum and load time are added
-- by insert_followups.sql (a view holds no parameters). Generated: the table names, the life areas.
CREATE OR REPLACE TEMP VIEW incoming AS
SELECT
    municipality_code, record_id, {{ m.quarter('followup_date') }} AS quarter, followup_date, start_date,
    sex, age_group, target_group, main_substance, intervention, completed,
{% for a in areas %}
    need_{{ a }} = '1' AS need_{{ a }},
{% endfor %}
{% for a in areas %}
    CAST(rating_{{ a }} AS UTINYINT) AS rating_{{ a }},
{% endfor %}
    CAST(satisfaction AS UTINYINT) AS satisfaction,
    extra_columns,
    line_number AS source_line
FROM {{ staged | ident }} s
WHERE NOT EXISTS (SELECT 1 FROM {{ failures | ident }} f WHERE f.line_number = s.line_number)
