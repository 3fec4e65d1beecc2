SELECT DISTINCT quarter FROM indicator_sums
