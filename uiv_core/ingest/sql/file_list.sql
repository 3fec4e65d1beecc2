-- `uiv files`: every file taken in, in load order.
SELECT file_name, status, rows_read, rows_loaded, rows_quarantined, rows_replaced,
       strftime(loaded_at, '%Y-%m-%d %H:%M'), coalesce(message, '')
FROM load_files ORDER BY loaded_at, rowid
