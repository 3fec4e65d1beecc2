{% import "_macros.sql" as m %}
-- The quarters of a staged export's readable, not future follow-up dates. Generated: the staging select.
SELECT DISTINCT {{ m.quarter('followup_date') }} AS quarter
FROM ({{ staging_select }}) AS staged
WHERE followup_date IS NOT NULL AND followup_date <= current_date
ORDER BY 1
