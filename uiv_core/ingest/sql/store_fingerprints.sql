-- Every file content the store has seen (sha256) with its latest status: the inbox sensor asks
-- for no run for a file whose content is here already (loaded, unchanged or refused).
SELECT sha256, arg_max(status, loaded_at) AS status FROM load_files GROUP BY sha256 ORDER BY sha256
