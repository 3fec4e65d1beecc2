-- The file's valid rows (the view `incoming`) → followups, with the file's name, checksum and
-- load time (values: $file, $sha256, $loaded_at).
INSERT INTO followups BY NAME
SELECT *, CAST($file AS VARCHAR) AS source_file, CAST($sha256 AS VARCHAR) AS source_sha256,
       CAST($loaded_at AS TIMESTAMP) AS loaded_at
FROM incoming
