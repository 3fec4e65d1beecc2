"""Dagster resources: the DuckDB store and the folders the pipeline reads and writes."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import Settings, settings_from_env


class UivFolders(dg.ConfigurableResource):
    """Where exports arrive (inbox) and where published files go (out)."""

    inbox: str
    out: str

    def inbox_path(self) -> Path:
        path = Path(self.inbox)
        if not path.is_dir():
            raise dg.Failure(f"the inbox folder {path} does not exist (set UIV_INBOX or --inbox)")
        return path


def build_resources(settings: Settings | None = None) -> dict:
    """The resources of the pipeline for `settings` (default: from the environment).

    The DuckDB file's folder is created here, not at import time: no connection is opened
    until an asset asks for one (DuckDB allows one writer per file).
    """
    settings = settings or settings_from_env()
    Path(settings.db).parent.mkdir(parents=True, exist_ok=True)
    return {
        "duckdb": DuckDBResource(database=settings.db),
        "folders": UivFolders(inbox=settings.inbox, out=settings.out),
    }
