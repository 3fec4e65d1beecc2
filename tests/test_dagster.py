"""The Dagster graph: definitions load, and a real materialization fills a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import dagster as dg

from conftest import valid_row, valid_rows, write_csv
from pipelines.settings import Settings


def test_definitions_load_with_assets_checks_jobs_sensor_and_schedule():
    from pipelines.definitions import defs

    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert {"load_files", "followups", "followups_history", "quarantine", "indicator_sums", "indicators",
            "comparisons", "baselines", "adjusted_indicators", "published_adjusted", "report", "exports"} <= keys
    assert defs.resolve_job_def("refresh").partitions_def.name == "quarter"
    assert defs.resolve_job_def("ingest_only")
    assert repository.get_sensor_def("inbox_sensor")
    assert repository.get_schedule_def("quarterly_refresh").cron_schedule == "0 6 1 1,4,7,10 *"
    checks = {key.name for key in repository.asset_graph.asset_check_keys}
    assert {"contract_quarantine_share", "rows_per_municipality", "no_municipality_vanished",
            "ratings_complete", "ratings_plausible", "rating_means_plausible"} <= checks


def test_dagster_cli_validates_the_definitions(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    dagster = Path(sys.executable).parent / "dagster"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run([str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Validation successful" in result.stdout + result.stderr


def test_a_refresh_materializes_the_graph_in_two_runs_with_lineage_metadata(tmp_path):
    from pipelines.refresh import run_refresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = valid_rows(6)
    rows[0]["sex"] = "Q"
    write_csv(inbox / "a.csv", rows)
    settings = Settings(db=str(tmp_path / "db" / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))

    result = run_refresh(settings, run_config=None)

    assert result.success and result.ingest_run.success and result.quarters_run.success
    assert result.quarters == ["2025Q3"]
    ingested = {e.asset_key.to_user_string() for e in result.ingest_run.get_asset_materialization_events()}
    assert ingested == {"load_files", "followups", "followups_history", "quarantine"}
    computed = {(e.asset_key.to_user_string(), e.partition)
                for e in result.quarters_run.get_asset_materialization_events()}
    assert computed == {("indicator_sums", "2025Q3"), ("indicators", "2025Q3"), ("comparisons", None),
                        ("baselines", None), ("adjusted_indicators", None), ("published_indicators", None),
                        ("published_comparisons", None), ("published_baselines", None),
                        ("published_adjusted", None), ("report", None), ("exports", None)}
    assert result.metadata("followups")["dagster/row_count"].value == 5
    assert result.metadata("quarantine")["quarantined_by_reason"].value == {"invalid_code": 1}
    assert result.metadata("quarantine")["files_quarantining"].value == {"a.csv": 1}
    load_files = result.metadata("load_files")
    assert load_files["files_loaded"].value == 1
    assert "| a.csv | **loaded** | 6 | 5 | 1 |" in load_files["files"].value
    assert load_files["code_version"].value and load_files["contract"].value
    assert result.metadata("indicators")["method"].value
    # the UI says where the report and the exports are, wherever Dagster runs from
    assert result.metadata("report")["path"].value == str((tmp_path / "out" / "report" / "index.html").resolve())
    assert Path(result.metadata("exports")["path"].value).is_absolute()
    con = duckdb.connect(settings.db, read_only=True)
    assert con.execute("SELECT count(*) FROM followups").fetchone() == (5,)
    con.close()
    # One quarter of data: no rolling four-quarter period exists yet; the report says so.
    index = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    assert "ingen rullande fyra-kvartalsperiod" in index.lower()


def test_a_refused_file_fails_its_check_not_the_run_and_is_visible_in_lineage(tmp_path):
    from assets.quality import ASSET_CHECKS
    from pipelines.definitions import ALL_ASSETS
    from pipelines.resources import build_resources

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "a.csv", valid_rows(5))
    write_csv(inbox / "b.csv", [valid_row(record_id="811218-9876")])  # a personal identity number
    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(inbox), out=str(tmp_path / "out"))
    ingest_keys = list(ALL_ASSETS[0].keys)

    def run():
        return dg.materialize([*ALL_ASSETS, *ASSET_CHECKS], selection=dg.AssetSelection.assets(*ingest_keys),
                              resources=build_resources(settings), raise_on_error=False)

    first = run()
    assert first.success  # one refused file never stops the others, nor what follows
    checks = {e.check_name: e for e in first.get_asset_check_evaluations()}
    assert not checks["no_refused_files"].passed
    refused = checks["no_refused_files"].metadata["details"].value
    assert refused == {"refused_files": {"b.csv": "identity_number"}}
    files = {e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
             for e in first.get_asset_materialization_events()}["load_files"]["files"].value
    assert "| b.csv | **refused** |" in files and "| a.csv | **loaded** |" in files and "811218" not in files
    # The refusal stays on record (and the check failing) until the file is delivered again corrected.
    second = run()
    assert second.success
    assert not {e.check_name: e for e in second.get_asset_check_evaluations()}["no_refused_files"].passed
    (inbox / "b.csv").unlink()
    write_csv(inbox / "b2.csv", [valid_row(record_id="B0001")])
    third = run()
    assert {e.check_name: e for e in third.get_asset_check_evaluations()}["no_refused_files"].passed


def test_a_missing_inbox_fails_the_run_with_a_clear_message(tmp_path):
    from pipelines.definitions import ALL_ASSETS
    from pipelines.resources import build_resources

    settings = Settings(db=str(tmp_path / "uiv.duckdb"), inbox=str(tmp_path / "nope"), out=str(tmp_path / "out"))
    result = dg.materialize(ALL_ASSETS, selection=list(ALL_ASSETS[0].keys), resources=build_resources(settings),
                            raise_on_error=False)
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


def test_the_partition_range_tags_agree_with_dagsters_own():
    """The package names a range of quarters with Dagster's backfill tags, written out so that
    no private Dagster module is imported; a Dagster upgrade that renames them fails here."""
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    from assets.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG

    assert (PARTITION_RANGE_START_TAG, PARTITION_RANGE_END_TAG) == (ASSET_PARTITION_RANGE_START_TAG,
                                                                      ASSET_PARTITION_RANGE_END_TAG)


def test_the_package_imports_no_private_dagster_module():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    private = [str(p.relative_to(root)) for folder in ("uiv_core", "assets", "pipelines", "uiv_schema")
               for p in (root / folder).rglob("*.py") if "dagster._" in p.read_text(encoding="utf-8")]
    assert private == []
