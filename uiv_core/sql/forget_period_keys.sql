-- A table's keys go before its new ones are stored, or when none are known (period_state.py).
-- Values: $table.
DELETE FROM period_state WHERE table_name = $table
