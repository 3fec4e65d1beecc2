"""`uiv refresh` as two in-process Dagster runs on one instance:

1. the ingest run: load the inbox (and run the data-set checks on what is stored);
2. the quarters run: register the stored quarters as partitions, then recompute the quarters
   (all of them, or with `only_new` those the newly loaded files hold) and rebuild everything
   downstream, as one run over the range of quarters (as a backfill from the UI does).

The quarters of new files are only known once they are read, hence two runs.

Nothing new: when the ingest run loaded no file and the store records that its tables and the
published files were built from the same loaded files, settings, code and output folder (the
`refresh_signature` signature, written after every complete quarters run), the quarters run is left
out: nothing is recomputed and the report and the exports stay as they are, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from assets.ingest import ingest
from assets.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, register_quarters
from pipelines.definitions import build_definitions
from pipelines.settings import Settings
from uiv_core.opening import open_store
from uiv_core.quarters import quarter_index
from uiv_core.sql import query

LOGGING = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass
class RefreshResult:
    ingest_run: dg.ExecuteInProcessResult
    quarters_run: dg.ExecuteInProcessResult | None
    quarters: list[str]
    nothing_new: bool = False  # the quarters run was left out: nothing had changed

    @property
    def success(self) -> bool:
        """Everything ran; a newly refused file fails the ingest run but not the refresh."""
        return self.metadata("load_files") is not None and (
            self.quarters_run is None or self.quarters_run.success)

    def metadata(self, asset: str) -> dict | None:
        for run in (self.ingest_run, self.quarters_run):
            for event in run.get_asset_materialization_events() if run else []:
                if event.asset_key.to_user_string() == asset:
                    return event.step_materialization_data.materialization.metadata
        return None

    def checks(self) -> list[tuple[str, bool]]:
        return sorted((e.check_name, e.passed) for e in self.ingest_run.get_asset_check_evaluations())


def _stored_quarters(db: str) -> list[str]:
    if not Path(db).is_file():
        return []
    con = open_store(db, read_only=True, wait=True)
    try:
        return sorted((q for (q,) in con.execute(query("followup_quarters")).fetchall()),
                      key=quarter_index)
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def _signature(settings: Settings) -> str | None:
    """What the computed tables and the published files are a function of (None: no store yet)."""
    from assets.versions import CELLS_CODE, INGEST_CODE, PUBLISH_CODE
    from uiv_core.cells.indicators import load_peer_groups
    from uiv_core.fingerprints import combine, loaded_files_fingerprint

    if not Path(settings.db).is_file():
        return None
    con = open_store(settings.db, read_only=True, wait=True)
    try:
        loaded = loaded_files_fingerprint(con)
    except duckdb.CatalogException:
        return None
    finally:
        con.close()
    peers = load_peer_groups(settings.peer_groups).to_csv(index=False)
    return combine(loaded, settings.min_n, peers, settings.planning_n, settings.images,
                   str(Path(settings.out).resolve()), INGEST_CODE, CELLS_CODE, PUBLISH_CODE)


def _recorded_signature(db: str) -> str | None:
    con = open_store(db, read_only=True, wait=True)
    try:
        return con.execute(query("refresh_signature")).fetchall()[0][0]
    except (duckdb.CatalogException, IndexError):
        return None
    finally:
        con.close()


def _record_signature(db: str, signature: str) -> None:
    import datetime as dt

    con = open_store(db, read_only=False, wait=True)
    try:
        con.execute(query("create_refresh_signature"), {"signature": signature, "finished_at": dt.datetime.now()})
    finally:
        con.close()


def _published_files_present(settings: Settings) -> bool:
    out = Path(settings.out)
    return (out / "report" / "index.html").is_file() and (out / "exports").is_dir()


def run_refresh(settings: Settings, only_new: bool = False, instance: dg.DagsterInstance | None = None,
                run_config: dict | None = LOGGING) -> RefreshResult:
    """Both runs on `instance`: the CLI passes the shared one (pipelines.instance), so the UI
    shows them; without one they run on a throwaway instance."""
    instance = instance or dg.DagsterInstance.ephemeral()
    defs = build_definitions(settings)  # the UI's jobs, so the runs show under their names
    ingest_run = defs.resolve_job_def("ingest_only").execute_in_process(
        instance=instance, run_config=run_config, raise_on_error=False, tags={"uiv/started_by": "uiv refresh"})
    result = RefreshResult(ingest_run, None, [])
    load_files = result.metadata("load_files")
    if load_files is None:
        return result  # the inbox could not be read at all: the run's error says why
    signature = _signature(settings)
    if (load_files["files_loaded"].value == 0 and signature is not None and _published_files_present(settings)
            and _recorded_signature(settings.db) == signature):
        result.nothing_new = True
        return result
    stored = _stored_quarters(settings.db)
    wanted = [q for q in load_files["quarters_loaded"].value if q in stored] if only_new else stored
    if not wanted:
        return result
    registered = register_quarters(instance, stored)
    first, last = min(wanted, key=quarter_index), max(wanted, key=quarter_index)
    result.quarters = registered[registered.index(first):registered.index(last) + 1]
    downstream = [key for key in defs.resolve_asset_graph().get_all_asset_keys() if key not in ingest.keys]
    result.quarters_run = defs.resolve_job_def("refresh").execute_in_process(
        instance=instance, run_config=run_config, raise_on_error=False, asset_selection=downstream,
        tags={PARTITION_RANGE_START_TAG: first, PARTITION_RANGE_END_TAG: last, "uiv/started_by": "uiv refresh"},
    )
    if result.quarters_run.success and signature is not None:
        _record_signature(settings.db, signature)
    return result
