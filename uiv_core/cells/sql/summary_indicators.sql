-- For the Dagster materialization: suppressed cells and periods of indicators.
SELECT count_if(suppressed), count(DISTINCT period) FROM indicators
