-- A table's column names in order.
SELECT column_name FROM duckdb_columns() WHERE table_name = $table ORDER BY column_index
