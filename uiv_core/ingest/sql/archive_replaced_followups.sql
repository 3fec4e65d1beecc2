-- Stored versions that the file replaces → history (values: $loaded_at, $file, $sha256);
-- delete_replaced_followups.sql and insert_followups.sql follow in the same transaction.
INSERT INTO followups_history
SELECT f.*, CAST($loaded_at AS TIMESTAMP), CAST($file AS VARCHAR), CAST($sha256 AS VARCHAR)
FROM followups f SEMI JOIN incoming i USING (municipality_code, record_id)
