-- What each published period's comparisons are built from on the published side: a fingerprint
-- of its published counts (which cells are hidden, and why), per period (publication.py `_keys`).
SELECT period, period_type, count(*) || ':' || sum(hash(t)::HUGEINT) AS fingerprint
FROM published_counts t GROUP BY period, period_type
