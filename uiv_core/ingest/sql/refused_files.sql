-- Files of the latest ingest that were refused, with the refusal reason code.
SELECT file_name, split_part(message, ':', 1) AS reason FROM load_files
WHERE status = 'refused' AND loaded_at = (SELECT max(loaded_at) FROM load_files)
ORDER BY file_name
