{% import "_macros.sql" as m %}
-- Versions of follow-ups replaced by a later delivery.
CREATE TABLE IF NOT EXISTS followups_history (
{{ m.followup_columns(areas) }},
    replaced_at TIMESTAMP NOT NULL,
    replaced_by_file VARCHAR NOT NULL,
    replaced_by_sha256 VARCHAR NOT NULL
)
