"""The jobs: `refresh` (everything, per quarter or over a range of quarters), `ingest_only`, and
`register_quarters` (the store's quarters as partitions, for a store filled without this instance)."""

from pathlib import Path

import dagster as dg

from assets.ingest import ingest
from assets.partitions import register_quarters
from assets.resources import UivStore
from uiv_core.quarters import quarter_index
from uiv_core.sql import query
from uiv_schema.labels import COCKPIT_DESCRIPTIONS

refresh_job = dg.define_asset_job(
    "refresh", selection=dg.AssetSelection.all(),
    description=COCKPIT_DESCRIPTIONS["refresh"] + "\n\nLoad the inbox, then recompute the run's quarters and "
    "rebuild everything downstream. Launch it for one quarter, or backfill a range of quarters (one run).")

ingest_only_job = dg.define_asset_job(
    "ingest_only", selection=dg.AssetSelection.assets(*ingest.keys),
    description=COCKPIT_DESCRIPTIONS["ingest_only"])


@dg.op(description="Add every quarter of the stored follow-ups to the `quarter` partitions, in calendar order.")
def register_stored_quarters(context: dg.OpExecutionContext, duckdb: UivStore) -> list[str]:
    if not Path(duckdb.database).is_file():  # connecting would make an empty store
        raise dg.Failure(f"no store at {duckdb.database}: run `uiv refresh` (or the refresh job) first")
    with duckdb.get_connection() as con:
        stored = sorted((q for (q,) in con.execute(query("followup_quarters")).fetchall()), key=quarter_index)
    registered = register_quarters(context.instance, stored)
    context.log.info(f"{len(stored)} stored quarters; the partitions are now {', '.join(registered) or 'none'}")
    return registered


@dg.job(name="register_quarters", description=COCKPIT_DESCRIPTIONS["register_quarters"] + "\n\n`uiv refresh`, the sensor and the "
        "schedule register the quarters they find themselves; this job is for a store that was filled "
        "without this Dagster instance (copied, or refreshed with another DAGSTER_HOME).")
def register_quarters_job():
    register_stored_quarters()
