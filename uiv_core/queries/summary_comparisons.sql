-- For the Dagster materialization: green and red cells against the country.
SELECT count_if(colour = 'grön'), count_if(colour = 'röd') FROM comparisons WHERE benchmark_unit_type = 'riket'
