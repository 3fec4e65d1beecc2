"""The resource types the assets need (instances are built in `pipelines/resources.py`)."""

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource


class UivStore(DuckDBResource):
    """The DuckDB store. While another process (a `uiv refresh`, another run) writes the file, a
    connection waits for it and says so once in the run log, instead of failing with DuckDB's
    lock error after a few retries (uiv_core.opening)."""

    @contextmanager
    def get_connection(self):
        from uiv_core.opening import open_store

        con = open_store(self.database, read_only=False, wait=True, on_wait=dg.get_dagster_logger().info)
        try:
            yield con
        finally:
            con.close()


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
    """Rules for what may be published and against whom: the minimum n, the peer groups, and the
    planning n under which a goal baseline pools eight quarters."""

    min_n: int = 10
    peer_groups: str | None = None  # CSV municipality_code;peer_group, or None for no peer groups
    planning_n: int = 30


class ReportOptions(dg.ConfigurableResource):
    """Chart images: whether to write PNG/SVG (needs a Chrome/Chromium, see uiv_core.publish.images) and
    how many seconds the whole image step may take."""

    images: bool = True
    image_timeout: float = 120.0


class QualityRules(dg.ConfigurableResource):
    """Bounds of the data-set checks (uiv_core.ingest.quality.QualityBounds has the defaults and meaning)."""

    max_quarantine_share: float = 0.05
    min_row_ratio: float = 0.5
    max_row_ratio: float = 2.0
    min_rating_completeness: float = 0.8
    min_mean_rating: float = 1.5
    max_mean_rating: float = 3.8

    def bounds(self):
        from uiv_core.ingest.quality import QualityBounds

        return QualityBounds(**{f: getattr(self, f) for f in QualityBounds.__dataclass_fields__})
