"""The pipeline's logic, free of Dagster: reading exports, identity-number detection,
validation against the contract, and storing into DuckDB. The Dagster assets call into here."""
