-- The degrees of freedom whose Student-t quantiles the mean cells need.
SELECT DISTINCT denominator - 1 FROM indicator_long JOIN indicator_catalogue USING (indicator_id)
WHERE unit = $mean AND denominator > 1
