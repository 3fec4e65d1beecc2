-- What the comparisons' keys are made of (comparisons.py `_period_keys`): the follow-ups'
-- fingerprint of every quarter the stored `indicators` were computed from, and the settings they
-- were computed with (min n, peer groups, catalogue).
SELECT s.quarter, s.fingerprint, (SELECT signature FROM indicator_settings) AS settings
FROM indicators_state s ORDER BY s.quarter
