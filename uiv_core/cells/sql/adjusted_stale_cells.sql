-- How many adjusted cells disagree with `indicator_counts` (a cell missing on either side, or
-- another numerator or denominator) or with the suppression rule ($min_n, $expected_floor): 0
-- when `adjusted_indicators` is as new as the indicators and their settings.
-- Values: $types (the adjusted period types), $indicators (the adjusted indicators' ids).
SELECT count(*)
FROM (
    SELECT period, period_type, unit_code, unit_type, target_group, indicator_id, numerator, denominator
    FROM indicator_counts
    WHERE breakdown = 'alla' AND unit_type IN ('kommun', 'lan', 'grupp')
      AND list_contains($types, period_type) AND list_contains($indicators, indicator_id)
) c
FULL OUTER JOIN adjusted_indicators a USING (period, period_type, unit_code, unit_type, target_group, indicator_id)
WHERE c.numerator IS DISTINCT FROM a.observed OR c.denominator IS DISTINCT FROM a.denominator
   OR a.suppressed IS DISTINCT FROM (a.denominator < $min_n OR a.expected < $expected_floor)
