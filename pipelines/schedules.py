"""The quarterly schedule: a full refresh at 06:00 on the first day of each quarter (Stockholm
time), as one run over every quarter: the inbox's quarters are added to the partitions first."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, register_quarters
from assets.resources import UivFolders
from pipelines.jobs import refresh_job
from uiv_core.ingest.inbox import export_quarters, list_inbox
from uiv_schema.labels import COCKPIT_DESCRIPTIONS

QUARTERLY_CRON = "0 6 1 1,4,7,10 *"


def full_refresh_request(instance: dg.DagsterInstance, inbox: Path, run_key: str | None = None):
    """Register the inbox's quarters, then one RunRequest over every known quarter (or a SkipReason)."""
    found = {q for entry in list_inbox(inbox) for q in export_quarters(inbox / entry.name)} if inbox.is_dir() else set()
    keys = register_quarters(instance, found)
    if not keys:
        return dg.SkipReason(f"no quarters yet: the inbox {inbox} holds no readable export")
    return dg.RunRequest(run_key=run_key, tags={PARTITION_RANGE_START_TAG: keys[0],
                                                PARTITION_RANGE_END_TAG: keys[-1]})


@dg.schedule(cron_schedule=QUARTERLY_CRON, job=refresh_job, execution_timezone="Europe/Stockholm",
             description=COCKPIT_DESCRIPTIONS["quarterly_refresh"] + "\n\nCron `0 6 1 1,4,7,10 *` in "
             "Europe/Stockholm (06:00 CET in winter, CEST in summer).")
def quarterly_refresh(context: dg.ScheduleEvaluationContext, folders: UivFolders):
    try:
        stamp = context.scheduled_execution_time.strftime("%Y-%m-%d")
    except Exception:  # evaluated outside a tick (tests, `dagster schedule preview`)
        stamp = None
    return full_refresh_request(context.instance, Path(folders.inbox), run_key=stamp)
