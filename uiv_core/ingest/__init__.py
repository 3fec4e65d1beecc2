"""Ingest: export files → raw rows → validated follow-ups and quarantine (tables `followups`,
`quarantine`, `load_files`), with the data-set checks."""
