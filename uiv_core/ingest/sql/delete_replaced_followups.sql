DELETE FROM followups f USING incoming i
WHERE f.municipality_code = i.municipality_code AND f.record_id = i.record_id
