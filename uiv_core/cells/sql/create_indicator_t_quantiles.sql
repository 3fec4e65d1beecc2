-- The Student-t quantiles (two-sided 95 % and 99.8 %) of the mean cells, by degrees of freedom;
-- filled as cells need them (indicator_t_degrees.sql) and read by the view `indicators`.
CREATE TABLE IF NOT EXISTS indicator_t_quantiles (df BIGINT PRIMARY KEY, t95 DOUBLE, t998 DOUBLE)
