-- The store's files by their latest status (a file re-seen unchanged counts once), for the
-- Dagster materialization of load_files: what the store holds now, whatever this run did.
SELECT status, count(*) AS files FROM (
    SELECT file_name, sha256, arg_max(status, loaded_at) AS status FROM load_files GROUP BY file_name, sha256
) GROUP BY status ORDER BY status
