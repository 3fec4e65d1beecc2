-- Once an export is staged, its raw table needs only the rows that may go to quarantine (their
-- raw cells are kept there as JSON): the suspect and the repeated rows of the staged table (two
-- simple filters, so that blocks without either are skipped). The others are dropped, which
-- frees the memory of a large file's raw cells (2 GB for 10 M rows) before the valid rows are
-- written. Generated: the table names.
CREATE OR REPLACE TEMP TABLE {{ raw | ident }} AS
SELECT r.*
FROM {{ raw | ident }} r
SEMI JOIN (SELECT line_number FROM {{ staged | ident }} WHERE suspect
           UNION ALL
           SELECT line_number FROM {{ staged | ident }} WHERE earlier_line IS NOT NULL) s USING (line_number)
