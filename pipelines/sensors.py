"""The inbox sensor: a new or changed export file asks for a `refresh` run per quarter it holds.

It looks at the file system only (DuckDB allows one writer: a sensor must never hold the file).
Its cursor remembers each file's stamp (modification time and size) and sha256; a file touched
without a change in content asks for nothing. Quarters are added to the dynamic partitions first.
A file whose quarters cannot be read asks for an `ingest_only` run, where ingest refuses it and
the run fails with the reason; a refused file with readable quarters fails its first run the same way.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from assets.partitions import QUARTERS
from assets.resources import UivFolders
from pipelines.jobs import ingest_only_job, refresh_job
from uiv_core.ingest.inbox import export_quarters, list_inbox
from uiv_core.ingest.reading import file_sha256


def inbox_changes(inbox: Path, cursor: str | None) -> tuple[dict[str, list[str]], list[str], str]:
    """({quarter: [file names]}, [files without readable quarters], new cursor) for the inbox."""
    seen: dict[str, list[str]] = json.loads(cursor) if cursor else {}
    by_quarter: dict[str, list[str]] = {}
    unreadable: list[str] = []
    state: dict[str, list[str]] = {}
    for entry in list_inbox(inbox):
        before = seen.get(entry.name)
        if before and before[0] == entry.stamp:
            state[entry.name] = before
            continue
        sha256 = file_sha256(Path(inbox) / entry.name)
        state[entry.name] = [entry.stamp, sha256]
        if before and before[1] == sha256:
            continue  # touched, not changed
        quarters = export_quarters(Path(inbox) / entry.name)
        if not quarters:
            unreadable.append(f"{entry.name}@{sha256[:16]}")
        for quarter in quarters:
            by_quarter.setdefault(quarter, []).append(f"{entry.name}@{sha256[:16]}")
    return by_quarter, unreadable, json.dumps(state, sort_keys=True)


@dg.sensor(jobs=[refresh_job, ingest_only_job], minimum_interval_seconds=30,
           description="Starts a refresh for each quarter held by a new or changed export in the inbox.")
def inbox_sensor(context: dg.SensorEvaluationContext, folders: UivFolders) -> dg.SensorResult | dg.SkipReason:
    inbox = Path(folders.inbox)
    if not inbox.is_dir():
        return dg.SkipReason(f"the inbox folder {inbox} does not exist")
    by_quarter, unreadable, cursor = inbox_changes(inbox, context.cursor)
    requests = [
        dg.RunRequest(
            job_name=refresh_job.name, partition_key=quarter,
            run_key=f"{quarter}:{_digest(files)}", tags={"uiv/files": ", ".join(sorted(files))[:200]},
        )
        for quarter, files in sorted(by_quarter.items())
    ] + [
        dg.RunRequest(job_name=ingest_only_job.name, run_key=f"ingest:{name}", tags={"uiv/files": name[:200]})
        for name in unreadable
    ]
    return dg.SensorResult(
        run_requests=requests, cursor=cursor,
        dynamic_partitions_requests=[QUARTERS.build_add_request(sorted(by_quarter))] if by_quarter else [],
    )


def _digest(files: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()[:16]
