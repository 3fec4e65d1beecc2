{# per quarter: rows, last load and an order-free hash of which records it holds, from which file.
   One string per record is hashed: DuckDB's hash of several values combines their hashes so
   that, under bit_xor, a file's hash cancels out over an even number of records (a correction
   re-delivering 50 records of a quarter left its fingerprint unchanged). #}
SELECT quarter, count(*) || ':' || max(loaded_at) || ':'
       || bit_xor(hash(concat_ws(chr(31), municipality_code, record_id, source_sha256)))
       AS fingerprint
FROM followups GROUP BY quarter
