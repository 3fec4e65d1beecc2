-- For the Dagster materialization: green and red cells against the country (from the stored
-- results: the view `comparisons` adds only the benchmark value, and reading it took 0.2 s at 2 M).
SELECT count_if(colour = {{ result.COLOUR.GREEN | literal }}), count_if(colour = {{ result.COLOUR.RED | literal }}) FROM comparison_results WHERE benchmark_unit_type = 'riket'
