-- The one documented timestamp in published files: the time of the latest load.
SELECT max(loaded_at) FROM load_files
