"""Dagster as the analyst's cockpit: the command line and the UI share one instance, a delivery asks
for one run over its quarters, a refused file blocks nothing, and staleness follows the data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from conftest import valid_row, write_csv
from pipelines.settings import Settings

UIV = shutil.which("uiv", path=str(Path(sys.executable).parent))


def rows_for(dates: dict[str, int], prefix: str, municipality: str = "0180") -> list[dict]:
    return [valid_row(record_id=f"{prefix}{date}-{i:04d}", municipality_code=municipality, followup_date=date,
                      rating_missbruk=str(1 + i % 4))
            for date, count in dates.items() for i in range(count)]


def evaluations(instance: dg.DagsterInstance, run_id: str) -> dict[str, object]:
    """{check name: its evaluation} of one run."""
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    return {r.dagster_event.event_specific_data.check_name: r.dagster_event.event_specific_data for r in records}


def materialized(instance: dg.DagsterInstance, run_id: str) -> set[tuple[str, str | None]]:
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    return {(r.dagster_event.asset_key.to_user_string(), r.dagster_event.partition) for r in records}


ALL_KEYS = {"load_files", "followups", "followups_history", "quarantine", "indicator_sums", "indicators",
            "adjusted_indicators", "comparisons", "baselines", "published_indicators", "published_comparisons",
            "published_baselines", "published_adjusted", "report", "exports"}
ALL_CHECKS = {"no_refused_files", "contract_quarantine_share", "rows_per_municipality", "no_municipality_vanished",
              "ratings_complete", "ratings_plausible", "rating_means_plausible"}


def test_uiv_refresh_records_everything_in_the_instance_the_ui_reads(tmp_path):
    """`uiv refresh` without DAGSTER_HOME uses .dagster/ in the working directory (with the
    project's dagster.yaml); the UI started there shows every asset, partition, check and run."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", rows_for({"2025-02-10": 12, "2025-05-10": 12}, "A"))
    write_csv(inbox / "b.csv", rows_for({"2025-08-20": 12}, "B"))
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    result = subprocess.run([UIV, "refresh", "--inbox", str(inbox), "--db", "uiv.duckdb", "--out", "out",
                             "--no-images"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    home = tmp_path / ".dagster"
    assert (home / "dagster.yaml").read_text() == (Path(__file__).resolve().parent.parent / "dagster.yaml").read_text()

    instance = dg.DagsterInstance.from_config(str(home))
    try:
        runs = instance.get_runs()
        assert len(runs) == 2 and all(r.is_success for r in runs)  # the ingest run and the quarters run
        assert instance.get_dynamic_partitions("quarter") == ["2025Q1", "2025Q2", "2025Q3"]
        for key in ALL_KEYS:
            assert instance.get_latest_materialization_event(dg.AssetKey(key)) is not None, key
        for key in ("indicator_sums", "indicators"):
            assert instance.get_materialized_partitions(dg.AssetKey(key)) == {"2025Q1", "2025Q2", "2025Q3"}
        checks = {name: e for run in runs for name, e in evaluations(instance, run.run_id).items()}
        assert set(checks) == ALL_CHECKS and checks["no_refused_files"].passed
    finally:
        instance.dispose()


@pytest.fixture
def cockpit(tmp_path):
    """A store refreshed from two files over three quarters, on a real (temporary) instance, with
    the project's definitions built for it."""
    from pipelines.definitions import build_definitions
    from pipelines.refresh import run_refresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", rows_for({"2025-02-10": 12, "2025-05-10": 12}, "A"))
    write_csv(inbox / "b.csv", rows_for({"2025-08-20": 12}, "B"))
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"), images=False)
    with dg.instance_for_test() as instance:
        assert run_refresh(settings, instance=instance, run_config=None).success
        yield instance, build_definitions(settings), settings


def sensor_tick(instance, defs, settings, cursor=None):
    from pipelines.sensors import inbox_sensor

    context = dg.build_sensor_context(cursor=cursor, instance=instance, definitions=defs,
                                      resources=defs.resources)
    return inbox_sensor(context)


def launch(instance, defs, request) -> dg.ExecuteInProcessResult:
    """Run a sensor's request as the daemon would: its job, tags and partition on the instance."""
    job = defs.resolve_job_def(request.job_name)
    return job.execute_in_process(instance=instance, tags=request.tags, partition_key=request.partition_key,
                                  raise_on_error=False)


def test_a_delivery_of_one_new_file_beside_unchanged_ones_asks_for_exactly_one_run(cockpit):
    instance, defs, settings = cockpit
    idle = sensor_tick(instance, defs, settings)
    assert idle.run_requests == []  # what `uiv refresh` loaded is known: turning the sensor on redoes nothing

    write_csv(Path(settings.inbox) / "c.csv", rows_for({"2025-09-01": 5, "2025-11-15": 12}, "C"))
    tick = sensor_tick(instance, defs, settings, idle.cursor)
    [request] = tick.run_requests
    assert request.job_name == "refresh" and request.tags["uiv/files"].startswith("c.csv@")
    assert (request.tags["dagster/asset_partition_range_start"],
            request.tags["dagster/asset_partition_range_end"]) == ("2025Q3", "2025Q4")

    run = launch(instance, defs, request)
    assert run.success
    computed = materialized(instance, run.run_id)
    assert {p for k, p in computed if k == "indicators"} == {"2025Q3", "2025Q4"}
    assert {k for k, _ in computed} == ALL_KEYS
    # nothing new: no run, because the store has seen every file (a fresh cursor remembers nothing)
    assert sensor_tick(instance, defs, settings).run_requests == []

    # a new store at the same path (the old one deleted): the same files are a delivery again
    Path(settings.db).unlink()
    [again] = sensor_tick(instance, defs, settings, tick.cursor).run_requests
    assert again.run_key != request.run_key and "a.csv@" in again.tags["uiv/files"]


def test_a_refused_file_beside_a_good_one_blocks_nothing_through_the_sensor(tmp_path):
    from pipelines.definitions import build_definitions

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = rows_for({"2025-05-10": 50}, "G")
    for row in good[:8]:
        row["sex"] = "Q"  # 8 of 50 rows quarantined: 16 % > the 5 % the contract allows
    write_csv(inbox / "good.csv", good)
    bad = "bad_811218-9876.csv"  # an identity number in the name too: never echoed
    write_csv(inbox / bad, [valid_row(record_id="811218-9876", followup_date="2025-05-11")])
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"), images=False)
    defs = build_definitions(settings)
    with dg.instance_for_test() as instance:
        [request] = sensor_tick(instance, defs, settings).run_requests
        assert request.partition_key == "2025Q2"
        run = launch(instance, defs, request)
        assert run.success  # the refusal is data, not a failure
        assert {k for k, _ in materialized(instance, run.run_id)} == ALL_KEYS
        checks = evaluations(instance, run.run_id)
        assert set(checks) == ALL_CHECKS
        refused = checks["no_refused_files"]
        assert not refused.passed and "bad_<dolt>.csv (identity_number)" in refused.description
        assert "811218" not in refused.description + request.tags["uiv/files"]
        assert not checks["contract_quarantine_share"].passed  # evaluated, and failing at 16 %
        load_files = instance.get_latest_materialization_event(dg.AssetKey("load_files")).asset_materialization
        assert load_files.metadata["store_files_by_status"].value == {"loaded": 1, "refused": 1}
        assert "| 2025Q2 | good.csv | 8 |" in load_files.metadata["store_quarantined_by_quarter"].value
        assert "811218" not in load_files.metadata["files"].value + str(load_files.metadata["run"].value)

        # the refusal stays on record while the file lies in the inbox, also after another file loads
        write_csv(inbox / "later.csv", rows_for({"2025-05-20": 12}, "L"))
        [later] = sensor_tick(instance, defs, settings).run_requests
        assert "later.csv@" in later.tags["uiv/files"] and "bad_" not in later.tags["uiv/files"]
        checks = evaluations(instance, launch(instance, defs, later).run_id)
        assert not checks["no_refused_files"].passed
        (inbox / bad).unlink()
        assert defs.resolve_job_def("ingest_only").execute_in_process(instance=instance).success
        last = instance.get_latest_materialization_event(dg.AssetKey("load_files")).run_id
        assert evaluations(instance, last)["no_refused_files"].passed


def stale_keys(instance, defs) -> set[tuple[str, str | None]]:
    from dagster._core.definitions.data_version import StaleStatus
    from dagster._utils.test.data_versions import get_stale_status_resolver

    graph_assets = list(defs.resolve_asset_graph().assets_defs)
    resolver = get_stale_status_resolver(instance, graph_assets)
    found = set()
    for key in defs.resolve_asset_graph().get_all_asset_keys():
        partitions = instance.get_dynamic_partitions("quarter") if key.path[0] in ("indicator_sums", "indicators") \
            else [None]
        for partition in partitions:
            if resolver.get_status(key, partition) == StaleStatus.STALE:
                found.add((key.to_user_string(), partition))
    return found


def test_rerunning_one_quarter_marks_what_follows_stale_and_materializing_stale_freshens_it(cockpit):
    instance, defs, settings = cockpit
    assert stale_keys(instance, defs) == set()  # right after the refresh everything is fresh
    quarter_job = dg.define_asset_job("quarter_only", selection=["indicator_sums", "indicators"]).resolve(
        asset_graph=defs.resolve_asset_graph())

    # a correction of 2025Q2 arrives: ingest, then that quarter only
    write_csv(Path(settings.inbox) / "a_fix.csv", rows_for({"2025-05-10": 3}, "A")
              + rows_for({"2025-05-12": 4}, "X"))
    assert defs.resolve_job_def("ingest_only").execute_in_process(instance=instance).success
    assert quarter_job.execute_in_process(instance=instance, partition_key="2025Q2").success
    stale = stale_keys(instance, defs)
    # Dagster marks the direct dependents whose input has a new data version: the comparisons and
    # the published cells (what follows them turns stale once they are redone with a new version)
    assert {"comparisons", "published_indicators"} <= {k for k, _ in stale}
    assert ("indicators", "2025Q2") not in stale and ("indicator_sums", "2025Q2") not in stale
    # the other quarters' sums are stale too: Dagster only knows that `followups` changed
    assert {("indicator_sums", "2025Q1"), ("indicator_sums", "2025Q3")} <= stale

    # "materialize stale" and what follows, as one run: then nothing after the indicators is stale
    graph = defs.resolve_asset_graph()
    unpartitioned = {k for k, p in stale if p is None and k not in ("load_files", "followups")}
    selection = dg.AssetSelection.assets(*unpartitioned).downstream()
    job = dg.define_asset_job("stale", selection=selection).resolve(asset_graph=graph)
    assert job.execute_in_process(instance=instance).success
    after = stale_keys(instance, defs)
    assert not {k for k, _ in after} & {"comparisons", "baselines", "adjusted_indicators", "published_indicators",
                                         "published_comparisons", "published_baselines", "published_adjusted",
                                         "report", "exports"}

    # the same quarter again with unchanged data: same data versions, nothing after it stale
    assert quarter_job.execute_in_process(instance=instance, partition_key="2025Q2").success
    assert not {k for k, _ in stale_keys(instance, defs)} & {"comparisons", "report", "exports"}


def test_a_store_refreshed_elsewhere_gets_its_quarters_registered_and_any_quarter_materializes(cockpit, tmp_path):
    """A new instance knows no quarters; the register_quarters job adds the store's, in order, and
    then `dagster asset materialize --partition` works for a stored quarter."""
    _, defs, settings = cockpit
    home = tmp_path / "other-home"
    home.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "dagster.yaml", home / "dagster.yaml")
    other = dg.DagsterInstance.from_config(str(home))
    try:
        assert other.get_dynamic_partitions("quarter") == []
        run = defs.resolve_job_def("register_quarters").execute_in_process(instance=other)
        assert run.success and other.get_dynamic_partitions("quarter") == ["2025Q1", "2025Q2", "2025Q3"]
    finally:
        other.dispose()
    env = {**os.environ, "DAGSTER_HOME": str(home), "UIV_DB": settings.db, "UIV_INBOX": settings.inbox,
           "UIV_OUT": settings.out}
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run([str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select",
                             "indicators", "--partition", "2025Q2"], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "indicators: computing the cells of 2025Q2" in result.stderr + result.stdout


def test_a_refresh_with_nothing_new_recomputes_nothing_and_leaves_the_files_as_they_are(tmp_path):
    """Work follows data on the command line too: no new file, same settings and code → the
    quarters run is left out and the report and exports are not touched; a changed setting or a
    new file recomputes."""
    import dataclasses

    from pipelines.refresh import run_refresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", rows_for({"2025-02-10": 12, "2025-05-10": 12}, "A"))
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"), images=False)
    first = run_refresh(settings, run_config=None)
    assert first.success and not first.nothing_new and first.quarters_run is not None
    published = sorted(p for p in Path(settings.out).rglob("*") if p.is_file() and "quality" not in p.parts)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in published}

    again = run_refresh(settings, run_config=None)
    assert again.success and again.nothing_new and again.quarters_run is None
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in published} == before

    stricter = run_refresh(dataclasses.replace(settings, min_n=12), run_config=None)
    assert not stricter.nothing_new and stricter.quarters_run.success  # a setting changed: recomputed
    write_csv(inbox / "b.csv", rows_for({"2025-08-20": 12}, "B"))
    delivered = run_refresh(dataclasses.replace(settings, min_n=12), run_config=None)
    assert not delivered.nothing_new and delivered.quarters == ["2025Q1", "2025Q2", "2025Q3"]
    assert run_refresh(dataclasses.replace(settings, min_n=12), run_config=None).nothing_new
