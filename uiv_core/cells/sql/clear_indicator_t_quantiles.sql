-- Every cell is being recomputed: the quantiles are worked out anew too (a changed method or
-- library must not leave old ones behind the view).
DELETE FROM indicator_t_quantiles
