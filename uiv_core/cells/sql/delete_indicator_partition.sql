-- The periods being replaced (TEMP replaced_periods: recomputed, or left without rows);
-- insert_indicator_partition.sql follows in the same transaction.
DELETE FROM indicators USING replaced_periods r
WHERE indicators.period_type = r.period_type AND indicators.period = r.period
