"""Asset checks, evaluated together after each ingest: no refused file on `load_files`, the
pandera contract (share of rows quarantined per file) on `quarantine`, and the Great Expectations suite at data-set level on
`followups`; they also write the quality page under out/quality (logic: `uiv_core.ingest.quality`,
`uiv_core.publish.quality_page`)."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import QualityRules, UivFolders
from uiv_core.ingest.quality import (CHECK_DESCRIPTIONS, CheckOutcome, quarantine_share_check, refused_files_check,
                              run_expectations)
from uiv_core.publish.quality_page import write_quality_page
from uiv_core.ingest.store import run_stamp


def _result(outcome: CheckOutcome, asset_key: str) -> dg.AssetCheckResult:
    metadata = {"description": outcome.description, "details": dg.MetadataValue.json(outcome.details)}
    if outcome.expectations:
        metadata["expectations"] = dg.MetadataValue.json(outcome.expectations)
    return dg.AssetCheckResult(check_name=outcome.name, asset_key=asset_key, passed=outcome.passed,
                               severity=dg.AssetCheckSeverity.ERROR, metadata=metadata)


_FILES = dg.AssetCheckSpec(
    "files_accepted", asset="load_files",
    description="No file of the latest ingest was refused (a refused file never stops the others).")
_CONTRACT = dg.AssetCheckSpec(
    "contract_quarantine_share", asset="quarantine",
    description="pandera contract: no loaded file has more than the allowed share of rows quarantined.")


@dg.multi_asset_check(
    specs=[_FILES, _CONTRACT] + [dg.AssetCheckSpec(name, asset="followups", description=text)
                         for name, text in CHECK_DESCRIPTIONS.items()],
    can_subset=False,
)
def data_set_checks(duckdb: DuckDBResource, quality: QualityRules, folders: UivFolders):
    """The contract check on `quarantine` and Great Expectations over the latest quarter on
    `followups`, evaluated once; writes out/quality/index.html and checks.json."""
    bounds = quality.bounds()
    with duckdb.get_connection() as con:
        files = refused_files_check(con)
        contract = quarantine_share_check(con, bounds)
        outcomes = run_expectations(con, bounds)
        stamp = run_stamp(con)
    write_quality_page([files, contract, *outcomes], Path(folders.out) / "quality", stamp)
    yield _result(files, "load_files")
    yield _result(contract, "quarantine")
    for outcome in outcomes:
        yield _result(outcome, "followups")


ASSET_CHECKS = [data_set_checks]
