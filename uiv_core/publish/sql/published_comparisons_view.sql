-- The comparisons of the published cells as every publisher reads them: the stored results
-- (published_comparison_results) with the benchmark's published value beside every cell (NULL
-- when the benchmark cell is hidden). The same value stands beside a cell of any n, so that its
-- presence tells nothing about a hidden cell.
CREATE OR REPLACE VIEW published_comparisons AS
SELECT c.period, c.period_type, c.unit_code, c.unit_type, c.target_group, c.breakdown, c.breakdown_value,
       c.indicator_id, c.benchmark_unit_type, c.benchmark_unit_code, b.value AS benchmark_value,
       c.significance, c.quartile, c.colour, c.funnel, c.trend
FROM published_comparison_results c
LEFT JOIN published_indicators b
  ON b.unit_code = c.benchmark_unit_code AND b.unit_type = c.benchmark_unit_type AND b.period = c.period
 AND b.period_type = c.period_type AND b.target_group = c.target_group AND b.breakdown = c.breakdown
 AND b.breakdown_value = c.breakdown_value AND b.indicator_id = c.indicator_id
