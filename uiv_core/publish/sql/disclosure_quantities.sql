-- A fingerprint of every indicator's numerator and denominator over all stored cells (zeros left
-- out, as a missing cell is zero): two parts with the same fingerprint count the same thing
-- (e.g. the need in an area is need_share's numerator and rating_coverage's denominator).
-- Each cell is hashed as one string and the hashes are summed: XOR-ing DuckDB's multi-argument
-- hash would cancel pairs of equal values (a county of one municipality repeats every value).
WITH parts AS (
    SELECT indicator_id, 'numerator' AS part, numerator AS amount, period_type, period, unit_type, unit_code,
           target_group, breakdown, breakdown_value
    FROM indicators WHERE numerator <> 0
    UNION ALL
    SELECT indicator_id, 'denominator', denominator, period_type, period, unit_type, unit_code,
           target_group, breakdown, breakdown_value
    FROM indicators WHERE denominator <> 0
)
SELECT indicator_id, part, count(*) AS nonzero,
       sum(hash(concat_ws('|', period_type, period, unit_type, unit_code, target_group, breakdown,
                          breakdown_value, amount::VARCHAR))::HUGEINT)::VARCHAR AS fingerprint
FROM parts
GROUP BY indicator_id, part
ORDER BY indicator_id, part
