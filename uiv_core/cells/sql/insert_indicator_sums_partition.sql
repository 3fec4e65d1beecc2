INSERT INTO indicator_sums SELECT * FROM indicator_sums_new
