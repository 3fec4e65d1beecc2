-- The periods of indicators.parquet, in the order of its rows (export_parquet_rows.sql is run
-- once per period): every period of the published cells.
SELECT DISTINCT period FROM published_indicators ORDER BY period
