-- Rows of the file, and how many of them replace a stored follow-up.
SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM followups f
       WHERE f.municipality_code = i.municipality_code AND f.record_id = i.record_id))
FROM incoming i
