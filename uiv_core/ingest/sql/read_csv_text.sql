-- A delimited file ($source, $delimiter) as text columns, ragged rows padded. `parallel`
-- (generated): DuckDB's parallel reader; quoted newlines with ragged rows need the serial one.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS
SELECT * FROM read_csv($source, delim = $delimiter, header = true, all_varchar = true, quote = '"', escape = '"',
                       null_padding = true, auto_detect = true, parallel = {{ 'true' if parallel else 'false' }})
