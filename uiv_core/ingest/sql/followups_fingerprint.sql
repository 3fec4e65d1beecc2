-- A fingerprint of the follow-ups of some quarters ($quarters; NULL = every quarter): which
-- records, from which file and line. A quarter's fingerprint changes exactly when a delivery
-- adds, replaces or removes one of its follow-ups (the Dagster data version of its partitions).
SELECT count(*), coalesce(sum(hash(record_id, municipality_code, source_sha256, source_line)::HUGEINT), 0)
FROM followups WHERE $quarters IS NULL OR list_contains($quarters, quarter)
