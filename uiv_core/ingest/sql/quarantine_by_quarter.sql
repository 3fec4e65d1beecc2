-- Rows in quarantine now, by the quarter of their follow-up date (NULL: the date was unreadable)
-- and file, newest quarter first.
SELECT quarter, source_file, count(*) AS rows FROM quarantine
GROUP BY quarter, source_file ORDER BY quarter DESC NULLS LAST, source_file
