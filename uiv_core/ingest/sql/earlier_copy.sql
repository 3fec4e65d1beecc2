-- The first file with the same content that was loaded (an exact copy under another name).
SELECT file_name, loaded_at FROM load_files WHERE sha256 = $sha256 AND status = 'loaded'
ORDER BY loaded_at LIMIT 1
