-- For the Dagster materialization: green and red cells against the country.
SELECT count_if(colour = {{ result.COLOUR.GREEN | literal }}), count_if(colour = {{ result.COLOUR.RED | literal }}) FROM comparisons WHERE benchmark_unit_type = 'riket'
