-- The true numerator and denominator of every audited cell: rolling windows for window keys,
-- the stored quarter rows for latent quarter keys (a quarter without rows is empty). Parameter:
-- $indicator_ids, the catalogue's indicator ids in order (each row names its place there). Reads
-- the stored counts behind the view `indicators` (the counts are all it needs).
SELECT k.key_id, list_position($indicator_ids, i.indicator_id) - 1 AS indicator_index, i.numerator, i.denominator
FROM disclosure_keys k
JOIN indicator_counts i
  ON i.period_type = CASE WHEN k.latent THEN 'quarter' ELSE 'rolling4q' END AND i.period = k.period
 AND i.unit_type = k.unit_type AND i.unit_code = k.unit_code AND i.target_group = k.target_group
 AND i.breakdown = k.breakdown AND i.breakdown_value = k.breakdown_value
