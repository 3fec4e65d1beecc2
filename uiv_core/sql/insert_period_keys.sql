-- The keys of the periods a table now holds (TEMP table new_period_keys), kept beside it
-- (period_state.py). Values: $table.
INSERT INTO period_state
SELECT $table, period, period_type, key FROM new_period_keys ORDER BY period, period_type
