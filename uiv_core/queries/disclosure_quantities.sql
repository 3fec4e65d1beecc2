-- A fingerprint of every indicator's numerator and denominator over all stored cells (zeros left
-- out, as a missing cell is zero): two parts with the same fingerprint count the same thing
-- (e.g. the need in an area is need_share's numerator and rating_coverage's denominator).
SELECT indicator_id, 'numerator' AS part, count_if(numerator <> 0) AS nonzero,
       coalesce(bit_xor(hash(period_type, period, unit_type, unit_code, target_group, breakdown,
                             breakdown_value, numerator)) FILTER (WHERE numerator <> 0), 0) AS fingerprint
FROM indicators GROUP BY indicator_id
UNION ALL
SELECT indicator_id, 'denominator', count_if(denominator <> 0),
       coalesce(bit_xor(hash(period_type, period, unit_type, unit_code, target_group, breakdown,
                             breakdown_value, denominator)) FILTER (WHERE denominator <> 0), 0)
FROM indicators GROUP BY indicator_id
ORDER BY indicator_id, part
