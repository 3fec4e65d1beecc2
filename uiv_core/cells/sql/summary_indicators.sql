-- For the Dagster materialization: periods in the indicators table.
SELECT count(DISTINCT period) FROM indicators
