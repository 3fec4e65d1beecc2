-- The staged rows that may break a rule of the contract (`_suspect_predicate.sql`), in line
-- order, dates as timestamps (for pandera). The predicate was evaluated while staging (the
-- column `suspect`), before the repeated records were known: a repeat (`earlier_line`) is added
-- here. Two simple filters, not one OR: DuckDB then skips every block of rows whose statistics
-- show no suspect and no repeat (on a clean file of 10 M rows: 0.1 s instead of 3 s).
-- Generated: the table.
SELECT * EXCLUDE (suspect) REPLACE (CAST(followup_date AS TIMESTAMP) AS followup_date,
                                    CAST(start_date AS TIMESTAMP) AS start_date,
                                    CAST(load_date AS TIMESTAMP) AS load_date)
FROM (SELECT * FROM {{ table | ident }} WHERE suspect
      UNION ALL
      SELECT * FROM {{ table | ident }} WHERE earlier_line IS NOT NULL AND NOT suspect)
ORDER BY line_number
