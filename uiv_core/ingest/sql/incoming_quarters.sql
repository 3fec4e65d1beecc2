-- The file's quarters and those of the stored versions it replaces.
SELECT quarter FROM incoming
UNION
SELECT f.quarter FROM followups f JOIN incoming i USING (municipality_code, record_id)
ORDER BY 1
