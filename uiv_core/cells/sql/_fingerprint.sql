{# per quarter: rows, last load and an order-free hash of which records it holds #}
SELECT quarter, count(*) || ':' || max(loaded_at) || ':' || bit_xor(hash(municipality_code, record_id, source_sha256))
       AS fingerprint
FROM followups GROUP BY quarter
