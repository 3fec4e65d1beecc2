-- Set DuckDB's memory limit. Generated: the limit (our constant, or the value DuckDB itself read
-- out: never data), as a literal, since SET takes no parameters.
SET memory_limit = {{ limit | literal }}
