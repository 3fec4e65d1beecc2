-- For the Dagster materialization: rows and quarters of indicator_sums.
SELECT count(*), count(DISTINCT quarter) FROM indicator_sums
