-- Every quarter anew.
CREATE OR REPLACE TABLE indicator_sums AS SELECT * FROM indicator_sums_new
