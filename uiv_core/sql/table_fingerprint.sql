-- A fingerprint of a whole table's content, independent of row order (Dagster data versions).
-- Generated: the table name.
SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {{ table | ident }} AS t
