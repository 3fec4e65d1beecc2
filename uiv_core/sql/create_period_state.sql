-- The one bookkeeping table of the tables built period by period (period_state.py): one table
-- for them all (a table of its own each would take a storage block each: 256 kB apiece).
CREATE TABLE IF NOT EXISTS period_state (table_name VARCHAR, period VARCHAR, period_type VARCHAR, key VARCHAR)
