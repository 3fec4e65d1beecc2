-- The quarters being replaced (TEMP sum_quarters); insert_indicator_sums_partition.sql follows in the same transaction.
DELETE FROM indicator_sums WHERE quarter IN (SELECT quarter FROM sum_quarters)
