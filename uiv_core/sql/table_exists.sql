-- A stored (not TEMP) table of this name exists.
SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = $table AND NOT temporary
