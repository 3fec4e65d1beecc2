"""Build the pipeline's resources from the settings (DuckDB store, folders)."""

from assets.resources import PublicationRules, QualityRules, ReportOptions, UivFolders, UivStore
from pipelines.settings import Settings, settings_from_env


def build_resources(settings: Settings | None = None) -> dict:
    """The resources for `settings` (default: from the environment). Opens nothing: DuckDB allows
    one writer per file, so a connection is made only when an asset asks for one."""
    settings = settings or settings_from_env()
    return {
        "duckdb": UivStore(database=settings.db),
        "folders": UivFolders(inbox=settings.inbox, out=settings.out),
        "rules": PublicationRules(min_n=settings.min_n, peer_groups=settings.peer_groups,
                                  planning_n=settings.planning_n),
        "quality": QualityRules(max_quarantine_share=settings.max_quarantine_share),
        "report_options": ReportOptions(images=settings.images, image_timeout=settings.image_timeout),
    }
