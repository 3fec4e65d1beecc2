-- For the Dagster materialization: periods in the indicators table (its stored counts: the view
-- `indicators` has one row for each).
SELECT count(DISTINCT period) FROM indicator_counts
