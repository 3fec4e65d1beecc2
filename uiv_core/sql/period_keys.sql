-- The key each period of a table built period by period was last written from (period_state.py).
-- Values: $table.
SELECT period, period_type, key FROM period_state WHERE table_name = $table ORDER BY period, period_type
