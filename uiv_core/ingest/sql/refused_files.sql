-- Refused files still in the inbox ($names: the inbox's file names): a name whose latest intake
-- was a refusal, with the refusal reason code. A refusal stays on record (and the check failing)
-- until the file is delivered again corrected, under its name or another, or taken out of the inbox.
SELECT file_name, split_part(message, ':', 1) AS reason FROM (
    SELECT file_name, arg_max(status, loaded_at) AS status, arg_max(message, loaded_at) AS message
    FROM load_files GROUP BY file_name
) WHERE status = 'refused' AND list_contains($names, file_name)
ORDER BY file_name
