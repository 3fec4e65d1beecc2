"""What may be published: primary suppression, and secondary suppression so that no hidden cell
can be recovered by subtracting published cells from a published total."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import ingest
from uiv_core.baselines import build_baselines
from uiv_core.comparisons import build_comparisons
from uiv_core.indicators import build_indicators, load_peer_groups
from uiv_core.publication import build_publication
from uiv_core.store import ensure_schema
from uiv_schema.municipalities import municipalities

EXPORTS = Path(__file__).resolve().parent.parent / "data_samples" / "exports"
CELL = ["period", "period_type", "indicator_id"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publication")
    con = duckdb.connect(str(folder / "uiv.duckdb"))
    ensure_schema(con)
    ingest(con, EXPORTS)
    build_indicators(con, 10, load_peer_groups(None))
    build_comparisons(con)
    build_baselines(con)
    counts = build_publication(con)
    frame = con.execute("SELECT * FROM published_indicators").fetchdf()
    yield con, frame, counts
    con.close()


def test_only_rolling_four_quarters_and_years_are_published(published):
    _, frame, counts = published
    assert set(frame["period_type"]) == {"rolling4q", "year"}
    assert counts["secondary"] > 0 and counts["rounds"] >= 2


def test_every_primary_suppressed_cell_is_hidden_and_the_others_unchanged(published):
    con, frame, _ = published
    internal = con.execute("SELECT * FROM indicators WHERE period_type IN ('rolling4q', 'year')").fetchdf()
    keys = ["period", "period_type", "unit_code", "unit_type", "target_group", "breakdown", "breakdown_value", "indicator_id"]
    merged = internal.merge(frame, on=keys, suffixes=("", "_pub"))
    assert len(merged) == len(internal) == len(frame)
    primary = merged["suppressed"]
    assert (merged.loc[primary, "suppression"] == "primär").all()
    hidden = merged["suppression"].notna()
    for column in ("numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low", "ci998_high"):
        assert merged.loc[hidden, f"{column}_pub"].isna().all(), column
        assert (merged.loc[~hidden, f"{column}_pub"] == merged.loc[~hidden, column]).all(), column


def _groups_with_one_hidden(children: pd.DataFrame, parents: pd.DataFrame, keys: list[str]) -> int:
    """Groups whose published parent has exactly one hidden child among at least two children."""
    hidden = children.assign(hidden=children["value"].isna()).groupby(keys)["hidden"].agg(["sum", "count"])
    published_parents = parents[parents["value"].notna()].set_index(keys).index
    exposed = hidden[(hidden["sum"] == 1) & (hidden["count"] > 1)]
    return int(exposed.index.isin(published_parents).sum())


def test_no_breakdown_value_can_be_recovered_from_its_total(published):
    _, frame, _ = published
    keys = CELL + ["unit_code", "unit_type", "target_group"]
    parents = frame[frame["breakdown"] == "alla"]
    for breakdown in ("sex", "age_group", "intervention"):
        children = frame[frame["breakdown"] == breakdown]
        assert _groups_with_one_hidden(children, parents, keys) == 0, breakdown


def test_no_target_group_can_be_recovered_from_all_target_groups(published):
    _, frame, _ = published
    keys = CELL + ["unit_code", "unit_type", "breakdown", "breakdown_value"]
    children = frame[frame["target_group"] != "alla"]
    parents = frame[frame["target_group"] == "alla"]
    assert _groups_with_one_hidden(children, parents, keys) == 0


def test_no_municipality_can_be_recovered_from_its_county(published):
    _, frame, _ = published
    county = {c: "00" + m.county_code for c, m in municipalities().items()}
    children = frame[frame["unit_type"] == "kommun"].assign(county=lambda f: f["unit_code"].map(county))
    parents = frame[frame["unit_type"] == "lan"].rename(columns={"unit_code": "county"})
    keys = CELL + ["county", "target_group", "breakdown", "breakdown_value"]
    assert _groups_with_one_hidden(children, parents, keys) == 0


def test_published_comparisons_and_baselines_hide_what_is_hidden(published):
    con, _, _ = published
    leaks = con.execute("""
        SELECT count(*) FROM published_comparisons c JOIN published_indicators p
        USING (period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id)
        WHERE p.value IS NULL AND (c.significance <> 'ej jämförbar' OR c.colour <> 'grå' OR c.quartile IS NOT NULL
                                   OR c.funnel IS NOT NULL OR c.trend <> 'ej beräknad')""").fetchall()
    assert leaks == [(0,)]
    baselines = con.execute("""SELECT count(*) FROM published_baselines WHERE baseline_value IS NULL
        AND (suggested_target IS NOT NULL OR min_detectable_change IS NOT NULL OR baseline_n IS NOT NULL)""").fetchall()
    assert baselines == [(0,)]
    benchmark = con.execute("""
        SELECT count(*) FROM published_comparisons c JOIN published_indicators b
          ON b.unit_code = c.benchmark_unit_code AND b.unit_type = c.benchmark_unit_type AND b.period = c.period
         AND b.period_type = c.period_type AND b.target_group = c.target_group AND b.breakdown = c.breakdown
         AND b.breakdown_value = c.breakdown_value AND b.indicator_id = c.indicator_id
        WHERE b.value IS NULL AND c.benchmark_value IS NOT NULL""").fetchall()
    assert benchmark == [(0,)]
