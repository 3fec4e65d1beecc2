{% import "_macros.sql" as m %}
-- The current version of each (municipality_code, record_id), typed. Generated: the life areas.
CREATE TABLE IF NOT EXISTS followups (
{{ m.followup_columns(areas) }}
)
