"""The pipeline's logic, free of Dagster: reading exports, identity-number detection,
validation against the contract, and storing into DuckDB. The Dagster assets call into here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("uiv-pipeline")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
