"""The one Dagster `Definitions` of the project (`dagster dev` loads it via pyproject.toml)."""

import dagster as dg

from assets.indicators import baselines, comparisons, indicator_sums, indicators
from assets.ingest import ingest
from assets.publish import exports, published, report
from assets.quality import ASSET_CHECKS
from pipelines.jobs import ingest_only_job, refresh_job
from pipelines.resources import build_resources
from pipelines.schedules import quarterly_refresh
from pipelines.sensors import inbox_sensor

ALL_ASSETS = [ingest, indicator_sums, indicators, comparisons, baselines, published, report, exports]

defs = dg.Definitions(
    assets=ALL_ASSETS, asset_checks=ASSET_CHECKS, jobs=[refresh_job, ingest_only_job],
    sensors=[inbox_sensor], schedules=[quarterly_refresh], resources=build_resources(),
)
