-- The share of each loaded file's rows that went to quarantine, worst first.
SELECT file_name, rows_read, rows_quarantined, rows_quarantined / rows_read AS share
FROM load_files WHERE status = 'loaded' AND rows_read > 0
ORDER BY share DESC, file_name
