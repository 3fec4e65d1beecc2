"""The inbox sensor: a delivery (new or changed export files) asks for one `refresh` run over the
quarters it touches; an inbox with nothing new asks for nothing.

It looks at the file system only (DuckDB allows one writer: a sensor must never hold the file),
and at what the instance knows: the latest `load_files` materialization lists every file content
(sha256) the store has taken in, so a file already loaded, unchanged or refused, by this sensor or
by `uiv refresh` on the same instance, asks for nothing. The cursor caches each file's stamp
(modification time and size), sha256 and quarters, and the deliveries requested already (also
the run key, which Dagster never starts twice).

The quarters of the new files are registered as partitions (in calendar order), then one run is
requested: one quarter as a partition, several as a partition range (as a single-run backfill).
Files whose quarters cannot be read (ingest will refuse them with the reason) ride along in that
run; alone they ask for an `ingest_only` run. A run that failed is not requested again for the
same files: re-execute it from the UI, or deliver the files again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, register_quarters
from assets.resources import UivFolders, UivStore
from pipelines.jobs import ingest_only_job, refresh_job
from uiv_core.fingerprints import store_identity
from uiv_core.ingest.identity_numbers import mask_identity_numbers
from uiv_core.ingest.inbox import export_quarters, list_inbox
from uiv_core.ingest.reading import file_sha256
from uiv_core.quarters import quarter_index
from uiv_schema.labels import COCKPIT_DESCRIPTIONS


@dataclass(frozen=True)
class Delivery:
    """The inbox's new files (name@sha256 prefix) and the quarters they touch."""

    files: list[str]
    quarters: list[str]
    unreadable: list[str]
    store: str = ""  # which store and what it had seen (seen_in_store's marker)


def inbox_changes(inbox: Path, cursor: str | None, seen: set[str] = frozenset(),
                  store: str = "") -> tuple[Delivery, str]:
    """(the delivery, the new cursor): the files whose content the store has not seen (`seen`
    sha256s); an empty delivery when nothing is new or exactly these files were requested before."""
    before = json.loads(cursor) if cursor else {}
    cached: dict[str, dict] = before.get("files", {}) if isinstance(before, dict) else {}
    state: dict[str, dict] = {}
    files, quarters, unreadable = [], set(), []
    for entry in list_inbox(inbox):
        known = cached.get(entry.name) if isinstance(cached.get(entry.name), dict) else None
        if known and known["stamp"] == entry.stamp:
            record = known
        else:
            sha256 = file_sha256(Path(inbox) / entry.name)
            if known and known["sha256"] == sha256:  # touched, not changed
                record = {**known, "stamp": entry.stamp}
            else:
                record = {"stamp": entry.stamp, "sha256": sha256,
                          "quarters": export_quarters(Path(inbox) / entry.name)}
        state[entry.name] = record
        if record["sha256"] in seen:
            continue
        label = f"{entry.name}@{record['sha256'][:16]}"
        files.append(label)
        quarters.update(record["quarters"])
        if not record["quarters"]:
            unreadable.append(label)
    requested = list(before.get("requested", [])) if isinstance(before, dict) else []
    key = delivery_key(files, store)
    if files and key in requested:
        files, quarters, unreadable = [], set(), []  # asked for already: its run is queued, running or done
    elif files:
        requested = (requested + [key])[-100:]
    delivery = Delivery(files, sorted(quarters, key=quarter_index), unreadable, store)
    return delivery, json.dumps({"files": state, "requested": requested}, sort_keys=True)


def delivery_key(files: list[str], store: str = "") -> str:
    """The run key of a delivery: its files, for one store as it was (a new store loads them again)."""
    return hashlib.sha256("\n".join([store, *sorted(files)]).encode()).hexdigest()[:16]


def seen_in_store(instance: dg.DagsterInstance, database: str) -> tuple[set[str], str]:
    """The file contents (sha256) the store `database` has taken in, as its latest `load_files`
    materialization on this instance lists them (nothing when that was another store: another
    path, or the same path holding a new file, deleted and made again or a copy put in place), and
    a marker of that materialization and store for the run key: a delivery asked for before is
    asked for again once the store it was loaded into is gone."""
    event = instance.get_latest_materialization_event(dg.AssetKey("load_files"))
    marker = f"{store_identity(database)}@{event.run_id if event else 0}"
    metadata = event.asset_materialization.metadata if event and event.asset_materialization else {}
    if not Path(database).is_file() or "seen_sha256" not in metadata \
            or metadata["database"].value != str(Path(database).resolve()) \
            or "store_identity" not in metadata or metadata["store_identity"].value != store_identity(database):
        return set(), marker
    return set(metadata["seen_sha256"].value), marker


def delivery_request(instance: dg.DagsterInstance, delivery: Delivery) -> dg.RunRequest | None:
    """One run for the delivery (see the module doc), its quarters registered first."""
    if not delivery.files:
        return None
    tags = {"uiv/files": mask_identity_numbers(", ".join(sorted(delivery.files)))[:1000]}
    run_key = delivery_key(delivery.files, delivery.store)
    if not delivery.quarters:
        return dg.RunRequest(job_name=ingest_only_job.name, run_key=f"ingest:{run_key}", tags=tags)
    register_quarters(instance, delivery.quarters)
    first, last = delivery.quarters[0], delivery.quarters[-1]
    if first == last:
        return dg.RunRequest(job_name=refresh_job.name, run_key=run_key, partition_key=first, tags=tags)
    return dg.RunRequest(job_name=refresh_job.name, run_key=run_key,
                         tags={**tags, PARTITION_RANGE_START_TAG: first, PARTITION_RANGE_END_TAG: last})


@dg.sensor(jobs=[refresh_job, ingest_only_job], minimum_interval_seconds=30,
           description=COCKPIT_DESCRIPTIONS["inbox_sensor"] + "\n\nOne run per delivery (a partition range over "
           "the quarters its files hold); files the store has seen already ask for nothing.")
def inbox_sensor(context: dg.SensorEvaluationContext, folders: UivFolders, duckdb: UivStore):
    inbox = Path(folders.inbox)
    if not inbox.is_dir():
        return dg.SkipReason(f"the inbox folder {inbox} does not exist")
    seen, marker = seen_in_store(context.instance, duckdb.database)
    delivery, cursor = inbox_changes(inbox, context.cursor, seen, marker)
    request = delivery_request(context.instance, delivery)
    if request is None:
        return dg.SensorResult(skip_reason=dg.SkipReason("nothing new in the inbox"), cursor=cursor)
    return dg.SensorResult(run_requests=[request], cursor=cursor)
