-- The keys of the periods a table now holds (TEMP table new_period_keys), kept beside it
-- (period_state.py). Generated: the state table's name.
CREATE OR REPLACE TABLE {{ state | ident }} AS
SELECT period, period_type, key FROM new_period_keys ORDER BY period, period_type
