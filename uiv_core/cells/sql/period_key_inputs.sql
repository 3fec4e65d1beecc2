-- What the keys of the period-by-period tables are made of (period_keys.py): the follow-ups'
-- fingerprint of every quarter the stored `indicators` were computed from, and the settings they
-- were computed with (min n, peer groups, catalogue).
SELECT s.quarter, s.fingerprint, (SELECT signature FROM indicator_settings) AS settings
FROM indicators_state s ORDER BY s.quarter
