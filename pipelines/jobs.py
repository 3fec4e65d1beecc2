"""The jobs: `refresh` (everything, per quarter or over a range of quarters) and `ingest_only`."""

import dagster as dg

from assets.ingest import ingest

refresh_job = dg.define_asset_job(
    "refresh", selection=dg.AssetSelection.all(),
    description="Load the inbox, then recompute the run's quarters and rebuild everything downstream. "
    "Launch it for one quarter, or backfill a range of quarters (one run).")

ingest_only_job = dg.define_asset_job(
    "ingest_only", selection=dg.AssetSelection.assets(*ingest.keys),
    description="Load the inbox only (for a file whose quarters cannot be read: ingest says why).")
