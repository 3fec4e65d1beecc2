-- The files that changed the follow-ups, in load order: the follow-ups, their history and the
-- quarantine are a function of this sequence (their Dagster data version is its hash).
SELECT sha256 FROM load_files WHERE status = 'loaded' ORDER BY loaded_at, sha256
