"""The resource types the assets need (instances are built in `pipelines/resources.py`)."""

from pathlib import Path

import dagster as dg


class UivFolders(dg.ConfigurableResource):
    """Where exports arrive (inbox) and where published files go (out)."""

    inbox: str
    out: str

    def inbox_path(self) -> Path:
        path = Path(self.inbox)
        if not path.is_dir():
            raise dg.Failure(f"the inbox folder {path} does not exist (set UIV_INBOX or --inbox)")
        return path
