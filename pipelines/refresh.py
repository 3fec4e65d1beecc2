"""`uiv refresh` as two in-process Dagster runs on one instance:

1. the ingest run: load the inbox (and run the data-set checks on what is stored);
2. the quarters run: register the stored quarters as partitions, then recompute the quarters
   (all of them, or with `only_new` those the newly loaded files hold) and rebuild everything
   downstream, as one run over the range of quarters (as a backfill from the UI does).

The quarters of new files are only known once they are read, hence two runs.

Nothing new (`pipelines.nothing_new`): when every inbox file was taken in before and the store's
tables and the published files were built from the same loaded files, settings, code and output
folder, no run is started at all; when the ingest run loads nothing new (a refused file left in
the inbox), the quarters run is left out. Either way nothing is recomputed and the report and the
exports stay as they are, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.nothing_new import Unchanged, published_files_present, record_signature, store_state, unchanged
from pipelines.settings import Settings
from uiv_core.opening import open_store
from uiv_core.quarters import quarter_index
from uiv_core.sql import query

if TYPE_CHECKING:
    import dagster as dg

LOGGING = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass
class RefreshResult:
    ingest_run: dg.ExecuteInProcessResult | None
    quarters_run: dg.ExecuteInProcessResult | None
    quarters: list[str]
    nothing_new: bool = False  # nothing was recomputed: nothing had changed
    unchanged: Unchanged | None = None  # ... and no run was started (every inbox file seen before)

    @property
    def success(self) -> bool:
        """Everything ran (a refused file is data, not a failure), or nothing needed to."""
        return self.unchanged is not None or (self.metadata("load_files") is not None and (
            self.quarters_run is None or self.quarters_run.success))

    def run_summary(self) -> dict:
        """This refresh's files and quarantined rows by reason (the ingest run's `run` metadata)."""
        if self.unchanged is not None:
            return {"files": [{"file_name": name, "status": "unchanged", "rows_read": 0, "rows_loaded": 0,
                               "rows_quarantined": 0, "rows_replaced": 0, "message": None}
                              for name in self.unchanged.files], "quarantined_by_reason": {}}
        return dict(self.metadata("load_files")["run"].value)

    def metadata(self, asset: str) -> dict | None:
        for run in (self.ingest_run, self.quarters_run):
            for event in run.get_asset_materialization_events() if run else []:
                if event.asset_key.to_user_string() == asset:
                    return event.step_materialization_data.materialization.metadata
        return None

    def checks(self) -> list[tuple[str, bool]]:
        if self.ingest_run is None:
            return self.unchanged.checks if self.unchanged else []
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


def run_refresh(settings: Settings, only_new: bool = False, instance: dg.DagsterInstance | None = None,
                run_config: dict | None = LOGGING, check_unchanged: bool = True) -> RefreshResult:
    """Both runs on `instance`: the CLI passes the shared one (pipelines.instance), so the UI
    shows them; without one they run on a throwaway instance. First, unless the caller did
    (`check_unchanged`), whether there is anything to do at all."""
    found = unchanged(settings) if check_unchanged else None
    if found is not None:
        return RefreshResult(None, None, [], nothing_new=True, unchanged=found)
    import dagster as dg

    from assets.ingest import ingest
    from assets.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, register_quarters
    from pipelines.definitions import build_definitions

    instance = instance or dg.DagsterInstance.ephemeral()
    defs = build_definitions(settings)  # the UI's jobs, so the runs show under their names
    ingest_run = defs.resolve_job_def("ingest_only").execute_in_process(
        instance=instance, run_config=run_config, raise_on_error=False, tags={"uiv/started_by": "uiv refresh"})
    result = RefreshResult(ingest_run, None, [])
    load_files = result.metadata("load_files")
    if load_files is None:
        return result  # the inbox could not be read at all: the run's error says why
    state = store_state(settings)
    if load_files["files_loaded"].value == 0 and state is not None and state.up_to_date \
            and published_files_present(settings):
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
    if result.quarters_run.success and state is not None:
        record_signature(settings.db, state.signature)
    return result
