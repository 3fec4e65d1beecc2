-- For the Dagster materialization: baselines with a suggested target.
SELECT count(suggested_target) FROM baselines
