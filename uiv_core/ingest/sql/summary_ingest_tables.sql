-- For the Dagster materialization: rows of the four ingest tables.
SELECT
    (SELECT count(*) FROM followups),
    (SELECT count(*) FROM followups_history),
    (SELECT count(*) FROM quarantine),
    (SELECT count(*) FROM load_files)
