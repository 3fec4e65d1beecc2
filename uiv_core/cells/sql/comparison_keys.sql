-- The key each period's comparisons were built from (comparisons.py `_period_keys`).
SELECT period, period_type, key FROM comparisons_state ORDER BY period, period_type
