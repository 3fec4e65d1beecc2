"""Asset checks: the pandera contract (share of rows quarantined per file) on `quarantine`, and the
Great Expectations suite at data-set level on `followups`, which also writes the quality page
under out/quality (logic: `uiv_core.quality`, `uiv_core.quality_page`)."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import QualityRules, UivFolders
from uiv_core.quality import CHECK_DESCRIPTIONS, CheckOutcome, quarantine_share_check, run_expectations
from uiv_core.quality_page import write_quality_page
from uiv_core.store import run_stamp


def _result(outcome: CheckOutcome, asset_key: str) -> dg.AssetCheckResult:
    metadata = {"description": outcome.description, "details": dg.MetadataValue.json(outcome.details)}
    if outcome.expectations:
        metadata["expectations"] = dg.MetadataValue.json(outcome.expectations)
    return dg.AssetCheckResult(check_name=outcome.name, asset_key=asset_key, passed=outcome.passed,
                               severity=dg.AssetCheckSeverity.ERROR, metadata=metadata)


@dg.asset_check(asset="quarantine", name="contract_quarantine_share",
                description="pandera contract: no loaded file has more than the allowed share of rows quarantined.")
def contract_quarantine_share(duckdb: DuckDBResource, quality: QualityRules) -> dg.AssetCheckResult:
    with duckdb.get_connection() as con:
        outcome = quarantine_share_check(con, quality.bounds())
    return _result(outcome, "quarantine")


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(name, asset="followups", description=text) for name, text in CHECK_DESCRIPTIONS.items()],
    can_subset=False,
)
def followups_expectations(duckdb: DuckDBResource, quality: QualityRules, folders: UivFolders):
    """Great Expectations over the latest quarter; writes out/quality/index.html and checks.json."""
    bounds = quality.bounds()
    with duckdb.get_connection() as con:
        outcomes, _ = run_expectations(con, bounds)
        contract = quarantine_share_check(con, bounds)
        stamp = run_stamp(con)
    write_quality_page([contract, *outcomes], Path(folders.out) / "quality", stamp)
    for outcome in outcomes:
        yield _result(outcome, "followups")


ASSET_CHECKS = [contract_quarantine_share, followups_expectations]
