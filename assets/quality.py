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
from uiv_core.ingest.loading import inbox_files
from uiv_core.ingest.store import run_stamp
from uiv_schema.labels import QUALITY_CHECK_LABELS


def _result(outcome: CheckOutcome, asset_key: str, quality_page: Path) -> dg.AssetCheckResult:
    """The outcome with its one-line finding as the result's description (shown beside the
    check, e.g. the refused file and its reason), the details and a link to the quality page."""
    metadata = {"finding": outcome.description, "details": dg.MetadataValue.json(outcome.details),
                "quality_page": dg.MetadataValue.url(quality_page.resolve().as_uri())}
    if outcome.expectations:
        metadata["expectations"] = dg.MetadataValue.json(outcome.expectations)
    return dg.AssetCheckResult(check_name=outcome.name, asset_key=asset_key, passed=outcome.passed,
                               severity=dg.AssetCheckSeverity.ERROR, description=outcome.description,
                               metadata=metadata)


def _spec(name: str, asset: str, technical: str) -> dg.AssetCheckSpec:
    title, text = QUALITY_CHECK_LABELS[name]
    return dg.AssetCheckSpec(name, asset=asset, description=f"{title}. {text}\n\n{technical}")


_SPECS = [
    _spec("no_refused_files", "load_files", "No refused file lies in the inbox; a refused file never stops the "
          "others or the quarters. The result names each refused file and its reason."),
    _spec("contract_quarantine_share", "quarantine", "pandera contract: no loaded file has more than the allowed "
          "share of rows quarantined (UIV_MAX_QUARANTINE_SHARE)."),
] + [_spec(name, "followups", f"Great Expectations, latest quarter: {text}.") for name, text in CHECK_DESCRIPTIONS.items()]


@dg.multi_asset_check(specs=_SPECS, can_subset=False)
def data_set_checks(duckdb: DuckDBResource, quality: QualityRules, folders: UivFolders):
    """The contract check on `quarantine` and Great Expectations over the latest quarter on
    `followups`, evaluated once; writes out/quality/index.html and checks.json."""
    bounds = quality.bounds()
    with duckdb.get_connection() as con:
        files = refused_files_check(con, [p.name for p in inbox_files(folders.inbox_path())])
        contract = quarantine_share_check(con, bounds)
        outcomes = run_expectations(con, bounds)
        stamp = run_stamp(con)
    page = Path(folders.out) / "quality"
    write_quality_page([files, contract, *outcomes], page, stamp)
    yield _result(files, "load_files", page / "index.html")
    yield _result(contract, "quarantine", page / "index.html")
    for outcome in outcomes:
        yield _result(outcome, "followups", page / "index.html")


ASSET_CHECKS = [data_set_checks]
