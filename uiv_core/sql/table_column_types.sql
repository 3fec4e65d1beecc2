-- A stored table's columns with their types and comments, in order (schemas in the Dagster UI).
SELECT column_name, data_type, comment FROM duckdb_columns()
WHERE table_name = $table AND NOT internal AND schema_name = 'main' ORDER BY column_index
