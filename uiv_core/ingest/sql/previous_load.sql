-- The same file (name and content) taken in before: its status and message.
SELECT status, message FROM load_files WHERE sha256 = $sha256 AND file_name = $file LIMIT 1
