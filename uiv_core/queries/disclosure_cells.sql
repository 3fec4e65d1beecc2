-- The true numerator and denominator of every audited cell (rolling windows).
SELECT k.key_id, i.indicator_id, i.numerator, i.denominator
FROM indicators i
JOIN disclosure_keys k USING (period, unit_type, unit_code, target_group, breakdown, breakdown_value)
WHERE i.period_type = 'rolling4q'
ORDER BY k.key_id, i.indicator_id
