"""The one Dagster `Definitions` of the project (`dagster dev` loads it via pyproject.toml)."""

import dagster as dg

from assets.indicators import baselines, comparisons, indicators
from assets.ingest import ingest
from assets.publish import exports, published, report
from pipelines.resources import build_resources

ALL_ASSETS = [ingest, indicators, comparisons, baselines, published, report, exports]

refresh_job = dg.define_asset_job("refresh", selection=dg.AssetSelection.all(),
                                  description="Load the inbox and rebuild everything downstream.")

defs = dg.Definitions(assets=ALL_ASSETS, jobs=[refresh_job], resources=build_resources())
