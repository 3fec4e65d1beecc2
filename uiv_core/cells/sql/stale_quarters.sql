-- Quarters whose follow-ups changed since `state` (indicator_sums_state or indicators_state) was written.
SELECT coalesce(f.quarter, s.quarter) AS quarter
FROM ({% include "_fingerprint.sql" %}) f FULL JOIN {{ state | ident }} s USING (quarter)
WHERE f.fingerprint IS DISTINCT FROM s.fingerprint
