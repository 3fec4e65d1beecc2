-- The key each period of a table built period by period was last written from (period_state.py).
-- Generated: the state table's name.
SELECT period, period_type, key FROM {{ state | ident }} ORDER BY period, period_type
