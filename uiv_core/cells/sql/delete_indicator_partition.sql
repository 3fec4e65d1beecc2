-- The periods being replaced (TEMP replaced_periods: recomputed, or left without rows);
-- insert_indicator_partition.sql follows in the same transaction.
DELETE FROM indicator_counts USING replaced_periods r
WHERE indicator_counts.period_type = r.period_type AND indicator_counts.period = r.period
