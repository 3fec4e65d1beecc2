-- A fingerprint of a whole table's content, independent of row order (Dagster data versions).
-- Generated: the table name.
SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {{ table | ident }} AS t
