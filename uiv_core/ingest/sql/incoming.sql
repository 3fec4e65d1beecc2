{% import "_macros.sql" as m %}
-- The typed, valid rows of one staged export (`staged`, less the lines in `failures`), in the
-- file's order (no sort: every reader of `followups` orders what it reads).
-- Values: $file, $sha256, $loaded_at. Generated: the table names and the life areas.
CREATE OR REPLACE TEMP TABLE incoming AS
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
    CAST($file AS VARCHAR) AS source_file, CAST($sha256 AS VARCHAR) AS source_sha256,
    line_number AS source_line, CAST($loaded_at AS TIMESTAMP) AS loaded_at
FROM {{ staged | ident }} s
WHERE NOT EXISTS (SELECT 1 FROM {{ failures | ident }} f WHERE f.line_number = s.line_number)
