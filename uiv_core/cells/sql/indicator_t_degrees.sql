-- The degrees of freedom whose Student-t quantiles the stored mean cells need and
-- `indicator_t_quantiles` does not hold yet. Value: $mean.
SELECT DISTINCT c.denominator - 1 AS df
FROM indicator_counts c JOIN indicator_catalogue USING (indicator_id)
WHERE unit = $mean AND c.denominator > 1
  AND c.denominator - 1 NOT IN (SELECT df FROM indicator_t_quantiles)
ORDER BY df
