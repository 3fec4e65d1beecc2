-- DuckDB's memory limit as it reads (e.g. '9.3 GiB'), and the file of the store (NULL in memory).
SELECT current_setting('memory_limit'), (SELECT path FROM duckdb_databases() WHERE database_name = current_database())
