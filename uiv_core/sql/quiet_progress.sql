-- Long statements print no progress bar into the Dagster log.
SET enable_progress_bar = false
