-- A fingerprint of the follow-ups of some quarters ($quarters; NULL = every quarter): which
-- records, from which file and line. A quarter's fingerprint changes exactly when a delivery
-- adds, replaces or removes one of its follow-ups (the Dagster data version of its partitions).
-- One string per record is hashed (DuckDB's hash of several values combines theirs: see
-- cells/sql/_fingerprint.sql).
SELECT count(*), coalesce(sum(hash(concat_ws(chr(31), record_id, municipality_code, source_sha256, source_line))::HUGEINT), 0)
FROM followups WHERE $quarters IS NULL OR list_contains($quarters, quarter)
