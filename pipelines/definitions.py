"""The one Dagster `Definitions` of the project (`dagster dev` loads it via pyproject.toml)."""

import dagster as dg

from assets.indicators import adjusted_indicators, baselines, comparisons, indicator_sums, indicators
from assets.ingest import ingest
from assets.publish import exports, published, report
from assets.quality import ASSET_CHECKS
from pipelines.jobs import ingest_only_job, refresh_job, register_quarters_job
from pipelines.resources import build_resources
from pipelines.schedules import quarterly_refresh
from pipelines.sensors import inbox_sensor
from pipelines.settings import Settings

ALL_ASSETS = [ingest, indicator_sums, indicators, adjusted_indicators, comparisons, baselines, published, report,
              exports]


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """The definitions with resources for `settings` (default: from the environment)."""
    return dg.Definitions(
        assets=ALL_ASSETS, asset_checks=ASSET_CHECKS, jobs=[refresh_job, ingest_only_job, register_quarters_job],
        sensors=[inbox_sensor], schedules=[quarterly_refresh], resources=build_resources(settings),
    )


defs = build_definitions()
