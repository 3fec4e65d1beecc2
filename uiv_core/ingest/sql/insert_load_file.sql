-- One file taken in (see create_load_files.sql for the columns, in order).
INSERT INTO load_files VALUES ($file, $sha256, $loaded_at, $status, $file_format, $encoding, $delimiter,
                               $rows_read, $rows_loaded, $rows_quarantined, $rows_replaced, $quarters,
                               $extra_columns, $message)
