"""The Dagster graph: definitions load, and a real materialization fills a real DuckDB file."""

from __future__ import annotations

import duckdb
import dagster as dg

from conftest import valid_rows, write_csv
from pipelines.settings import Settings


def test_definitions_load_with_the_ingest_assets_and_resources():
    from pipelines.definitions import defs

    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert {"load_files", "followups", "followups_history", "quarantine"} <= keys
    assert repository.get_job("refresh")


def test_materializing_the_graph_loads_the_inbox(tmp_path):
    from pipelines.definitions import ALL_ASSETS
    from pipelines.resources import build_resources

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = valid_rows(6)
    rows[0]["sex"] = "Q"
    write_csv(inbox / "a.csv", rows)
    settings = Settings(db=str(tmp_path / "db" / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))

    result = dg.materialize(ALL_ASSETS, resources=build_resources(settings))

    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert materialized == {"load_files", "followups", "followups_history", "quarantine",
                            "indicators", "comparisons", "baselines",
                            "published_indicators", "published_comparisons", "published_baselines",
                            "report", "exports"}
    metadata = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert metadata["followups"]["dagster/row_count"].value == 5
    assert metadata["quarantine"]["quarantined_by_reason"].value == {"invalid_code": 1}
    assert metadata["load_files"]["files_loaded"].value == 1
    con = duckdb.connect(settings.db, read_only=True)
    assert con.execute("SELECT count(*) FROM followups").fetchone() == (5,)
    con.close()
    # One quarter of data: no rolling four-quarter period exists yet; the report says so.
    index = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    assert "ingen rullande fyra-kvartalsperiod" in index.lower()


def test_a_missing_inbox_fails_the_run_with_a_clear_message(tmp_path):
    from pipelines.definitions import ALL_ASSETS
    from pipelines.resources import build_resources

    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(tmp_path / "nope"), out=str(tmp_path / "out"))
    result = dg.materialize(ALL_ASSETS, resources=build_resources(settings), raise_on_error=False)
    assert not result.success
    failure = result.get_step_failure_events()[0]
    assert "does not exist" in str(failure.step_failure_data.error)


def test_the_project_dagster_yaml_runs_one_run_at_a_time_without_telemetry(tmp_path):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).resolve().parent.parent / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert instance.telemetry_enabled is False
    finally:
        instance.dispose()
