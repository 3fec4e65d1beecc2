"""Data-set quality: the contract check (share of rows quarantined per file) and a Great
Expectations suite over the follow-ups of the latest quarter, free of Dagster.

The frames GX validates are computed in DuckDB (GX 1.x has no DuckDB data source):
- `deliveries`: per municipality, follow-ups in the latest and the previous quarter and their ratio
  (row count against the previous quarter within bounds); `previous_deliverers`: those of them
  with follow-ups in the previous quarter (none may have vanished from the latest);
- `ratings`: one row per follow-up and life area with a need in the latest quarter: its rating
  (blank, 1–4 or 9 = vet ej: the scale) and `rating_given` (1–4, else NULL: completeness);
- `rating_means`: the mean rating per life area in the latest quarter (plausible distributions).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from uiv_core.quarters import quarter_index, quarter_label
from uiv_core.ingest.identity_numbers import mask_identity_numbers
from uiv_core.sql import query
from uiv_schema.codes import AREAS


@dataclass(frozen=True)
class QualityBounds:
    """The bounds of every check; each can be set from the environment (see pipelines.settings)."""

    max_quarantine_share: float = 0.05  # per file: quarantined rows / rows read
    min_row_ratio: float = 0.5  # latest quarter's follow-ups / previous quarter's, per municipality
    max_row_ratio: float = 2.0
    min_rating_completeness: float = 0.8  # share of needs with a rating at follow-up
    min_mean_rating: float = 1.5  # mean rating per life area (1 worse … 4 markedly better)
    max_mean_rating: float = 3.8


@dataclass
class CheckOutcome:
    """One check: passed, a one-line description, and details for the UI and the quality page."""

    name: str
    passed: bool
    description: str
    details: dict = field(default_factory=dict)
    expectations: list[dict] = field(default_factory=list)


# --- the contract: quarantine share per file -----------------------------------------------------

def refused_files_check(con: duckdb.DuckDBPyConnection, inbox_names: list[str]) -> CheckOutcome:
    """No refused file lies in the inbox (`inbox_names`): a refused file does not stop the others
    or the quarters; it is reported here, in `load_files` and by `uiv refresh`'s exit code 1, until
    it is delivered again corrected or taken out. File names are shown with anything shaped like a
    personal identity number masked."""
    refused = [(mask_identity_numbers(name), reason)
               for name, reason in con.execute(query("refused_files"), {"names": list(inbox_names)}).fetchall()]
    named = "; ".join(f"{name} ({reason})" for name, reason in refused)
    return CheckOutcome(
        "no_refused_files", not refused,
        f"{len(refused)} refused file{'s' if len(refused) != 1 else ''} in the inbox"
        + (f": {named}" if named else ""),
        {"refused_files": {name: reason for name, reason in refused}})


def quarantine_share_check(con: duckdb.DuckDBPyConnection, bounds: QualityBounds) -> CheckOutcome:
    files = con.execute(query("quarantine_shares")).fetchdf()
    over = files[files["share"] > bounds.max_quarantine_share]
    worst = files.head(5)
    return CheckOutcome(
        "contract_quarantine_share", over.empty,
        f"{len(over)} of {len(files)} loaded files quarantined more than "
        f"{bounds.max_quarantine_share:.1%} of their rows",
        {"max_share": bounds.max_quarantine_share,
         "files_over_bound": {r.file_name: round(float(r.share), 4) for r in over.itertuples()},
         "worst_files": {r.file_name: round(float(r.share), 4) for r in worst.itertuples()}},
    )


# --- the Great Expectations suite ----------------------------------------------------------------

def latest_quarters(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    (latest,) = con.execute(query("latest_quarter")).fetchall()[0]
    return latest, (quarter_label(quarter_index(latest) - 1) if latest else None)


def quality_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    latest, previous = latest_quarters(con)
    deliveries = con.execute(query("quality_deliveries"), {"latest": latest, "previous": previous}).fetchdf()
    ratings = con.execute(query("quality_ratings", areas=AREAS), {"latest": latest}).fetchdf()
    means = ratings.dropna(subset=["rating_given"]).groupby("area", as_index=False).agg(
        mean_rating=("rating_given", "mean"), ratings=("rating_given", "size"))
    return {"deliveries": deliveries, "previous_deliverers": deliveries[deliveries.rows_previous > 0],
            "ratings": ratings, "rating_means": means}


def _suites(bounds: QualityBounds):
    import great_expectations.expectations as gxe

    return {
        "rows_per_municipality": ("deliveries", [gxe.ExpectColumnValuesToBeBetween(
            column="row_ratio", min_value=bounds.min_row_ratio, max_value=bounds.max_row_ratio)]),
        "no_municipality_vanished": ("previous_deliverers", [gxe.ExpectColumnValuesToBeBetween(
            column="rows_latest", min_value=1)]),
        "ratings_complete": ("ratings", [gxe.ExpectColumnValuesToNotBeNull(
            column="rating_given", mostly=bounds.min_rating_completeness)]),
        "ratings_plausible": ("ratings", [gxe.ExpectColumnValuesToBeInSet(column="rating", value_set=[1, 2, 3, 4, 9])]),
        "rating_means_plausible": ("rating_means", [gxe.ExpectColumnValuesToBeBetween(
            column="mean_rating", min_value=bounds.min_mean_rating, max_value=bounds.max_mean_rating)]),
    }


CHECK_DESCRIPTIONS = {
    "rows_per_municipality": "Each municipality's follow-ups in the latest quarter against its previous quarter",
    "no_municipality_vanished": "Every municipality of the previous quarter has follow-ups in the latest",
    "ratings_complete": "Needs at start that got a rating 1–4 at follow-up, not blank or 9 (latest quarter)",
    "ratings_plausible": "Ratings on the contract's scale: 1–4, or 9 = vet ej (latest quarter)",
    "rating_means_plausible": "Mean rating per life area within plausible bounds (latest quarter)",
}


def _quiet_gx():
    import great_expectations as gx

    logging.captureWarnings(False)  # GX routes every warning into logging at import
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.NOTSET)
    return gx


def run_expectations(con: duckdb.DuckDBPyConnection, bounds: QualityBounds) -> list[CheckOutcome]:
    """Validate the frames with GX; one CheckOutcome per suite (its expectations' results)."""
    gx = _quiet_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    latest, previous = latest_quarters(con)
    frames = quality_frames(con)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(name="uiv")
    batches = {name: source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(name=name)
               for name in frames}
    outcomes = []
    for name, (frame_name, expectations) in _suites(bounds).items():
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batches[frame_name], suite=suite))
        result = validation.run(batch_parameters={"dataframe": frames[frame_name]}, result_format="SUMMARY")
        results = result.to_json_dict()["results"]
        rows = [{
            "expectation": r["expectation_config"]["type"],
            "kwargs": {k: v for k, v in r["expectation_config"]["kwargs"].items() if k != "batch_id"},
            "success": r["success"],
            "observed": r["result"].get("observed_value"),
            "unexpected_count": r["result"].get("unexpected_count"),
            "element_count": r["result"].get("element_count"),
            "unexpected_percent": r["result"].get("unexpected_percent"),
            "examples": [v for v in r["result"].get("partial_unexpected_list", []) if v is not None][:10],
        } for r in results]
        details = {"latest_quarter": latest, "previous_quarter": previous, "rows_checked": len(frames[frame_name])}
        if frame_name in ("deliveries", "previous_deliverers"):
            bad = frames["deliveries"]
            if name == "rows_per_municipality":
                bad = bad[(bad.row_ratio < bounds.min_row_ratio) | (bad.row_ratio > bounds.max_row_ratio)]
            else:
                bad = bad[(bad.rows_previous > 0) & (bad.rows_latest == 0)]
            details["municipalities"] = bad["municipality_code"].tolist()[:20]
        outcomes.append(CheckOutcome(name, bool(result.success), CHECK_DESCRIPTIONS[name], details, rows))
    return outcomes


def outcomes_json(outcomes: list[CheckOutcome]) -> str:
    """The checks as deterministic JSON (no run ids, no times): written beside the quality page."""
    return json.dumps([{"name": o.name, "passed": o.passed, "description": o.description,
                        "details": o.details, "expectations": o.expectations} for o in outcomes],
                      ensure_ascii=False, indent=1, sort_keys=True, default=str)
