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


class PublicationRules(dg.ConfigurableResource):
    """Rules for what may be published and against whom: the minimum n and the peer groups."""

    min_n: int = 10
    peer_groups: str | None = None  # CSV municipality_code;peer_group, or None for no peer groups
