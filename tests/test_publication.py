"""What may be published: primary suppression, and secondary suppression so that no hidden cell
can be recovered by subtracting published cells from a published total."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import benchmark_cell, ingest
from uiv_core.cells.baselines import build_baselines
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.cells.indicators import build_indicators, load_peer_groups
from uiv_core.publish.publication import build_publication
from uiv_core.ingest.store import ensure_schema
from uiv_schema.municipalities import municipalities
from uiv_schema.results import CELL_KEY

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
    counts = build_publication(con, measure_primary=True)
    frame = con.execute("""
        SELECT p.*, coalesce(i.denominator, 0) AS true_n FROM published_indicators p
        LEFT JOIN indicators i USING (period, period_type, unit_code, unit_type, target_group, breakdown,
                                      breakdown_value, indicator_id)""").fetchdf()
    yield con, frame, counts
    con.close()


def test_rolling_windows_and_complete_years_only_are_published(published):
    con, frame, counts = published
    assert set(frame["period_type"]) == {"rolling4q", "year"}
    # the demo holds 2024Q4-2026Q3: 2024 and 2026 are incomplete and not published
    assert set(frame.loc[frame["period_type"] == "year", "period"]) == {"2025"}
    assert counts["secondary"] > 0 and counts["rounds"] >= 2
    assert counts["disclosed_without_secondary"] > 0  # primary suppression alone leaks


def test_a_complete_year_is_published_exactly_as_its_rolling_window(published):
    _, frame, _ = published
    keys = ["unit_code", "unit_type", "target_group", "breakdown", "breakdown_value", "indicator_id"]
    year = frame[(frame["period_type"] == "year") & (frame["period"] == "2025")].set_index(keys).sort_index()
    window = frame[(frame["period_type"] == "rolling4q") & (frame["period"] == "2025Q4")].set_index(keys).sort_index()
    columns = ["numerator", "denominator", "value", "suppression"]
    pd.testing.assert_frame_equal(year[columns], window[columns])


def test_every_primary_suppressed_cell_is_hidden_and_the_others_unchanged(published):
    con, frame, _ = published
    internal = con.execute("SELECT * FROM indicators WHERE period_type = 'rolling4q' OR "
                           "(period_type = 'year' AND period = '2025')").fetchdf()
    keys = list(CELL_KEY)
    frame = frame.drop(columns="true_n")
    merged = frame.merge(internal, on=keys, how="left", suffixes=("_pub", ""), indicator=True)
    assert len(merged) == len(frame)
    assert set(internal.set_index(keys).index) <= set(frame.set_index(keys).index)
    # a cell without follow-ups in its denominator has a row, shown as primary suppressed
    empty = merged["_merge"] == "left_only"
    # (`dold`: hidden either way, where the label itself would give a cell away)
    assert empty.any() and merged.loc[empty, "suppression"].isin(["primär", "dold"]).all()
    stored = merged[~empty]
    primary = stored["suppressed"].astype(bool)
    assert stored.loc[primary, "suppression"].isin(["primär", "dold"]).all()
    assert (stored.loc[~primary, "suppression"].isna() | stored.loc[~primary, "suppression"].isin(["sekundär", "dold"])).all()
    hidden = stored["suppression"].notna()
    for column in ("numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low", "ci998_high"):
        assert stored.loc[hidden, f"{column}_pub"].isna().all(), column
        assert merged.loc[empty, f"{column}_pub"].isna().all(), column
        assert (stored.loc[~hidden, f"{column}_pub"] == stored.loc[~hidden, column]).all(), column
    # a secondary cell is never a small one
    assert (stored.loc[stored["suppression"] == "sekundär", "denominator"] >= 10).all()


def _groups_with_one_hidden(children: pd.DataFrame, parents: pd.DataFrame, keys: list[str]) -> int:
    """Groups whose published parent has exactly one hidden child, and that child a small cell
    (true n 1..9): parent minus the others would give it away. (A hidden child with n 0 or
    at least 10 may be worked out: that discloses no small cell.)"""
    flagged = children.assign(hidden=children["value"].isna(),
                              small=children["value"].isna() & children["true_n"].between(1, 9))
    groups = flagged.groupby(keys)[["hidden", "small"]].sum()
    published_parents = parents[parents["value"].notna()].set_index(keys).index
    exposed = groups[(groups["hidden"] == 1) & (groups["small"] == 1)]
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
    # beside every cell, whatever its n, stands the benchmark's value when the benchmark is shown:
    # a cell without follow-ups once had none, which told that its n was 0. Checked against the
    # stored labels and the internal value, not against the view's own join.
    by_n = con.execute(f"""
        SELECT i.denominator IS NULL AS no_followups, count(*) AS rows,
               count_if(c.benchmark_value IS DISTINCT FROM
                        CASE WHEN pb.suppression IS NULL THEN ib.value END) AS other_value
        FROM published_comparisons c
        JOIN published_counts pb ON {benchmark_cell('pb')}
        LEFT JOIN indicators ib ON {benchmark_cell('ib')}
        LEFT JOIN indicators i
          ON i.period = c.period AND i.period_type = c.period_type AND i.unit_code = c.unit_code
         AND i.unit_type = c.unit_type AND i.target_group = c.target_group AND i.breakdown = c.breakdown
         AND i.breakdown_value = c.breakdown_value AND i.indicator_id = c.indicator_id
        WHERE pb.suppression IS NULL GROUP BY ALL ORDER BY ALL""").fetchall()
    assert [(empty, other) for empty, _, other in by_n] == [(False, 0), (True, 0)]
    assert all(rows > 1000 for _, rows, _ in by_n)


def test_publishers_state_the_min_n_stored_with_the_cells(tmp_path):
    """The report's and exports' footers take min n from the cells (`stored_min_n`), not from the
    current setting: cells built with n ≥ 5 say 5 even when the setting says 10 today."""
    from data_samples.generate import generate_followups, write_csv
    from uiv_core.publish.publication import stored_min_n

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(generate_followups(300, seed=5, municipality_codes=["0180", "0127"], quarters=["2025Q1"]),
              inbox / "export.csv")
    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    ensure_schema(con)
    ingest(con, inbox)
    build_indicators(con, 5, load_peer_groups(None))
    assert stored_min_n(con) == 5
    build_indicators(con, 12, load_peer_groups(None))
    assert stored_min_n(con) == 12


def test_published_comparisons_built_one_period_at_a_time_equal_one_statement_over_every_period(
        tmp_path, monkeypatch):
    """The published comparisons are built a group of periods at a time (a group's memory, not the
    store's); the rows, and their order in the table, are those of the one statement over every
    period, which the step runs when no period is listed."""
    from conftest import build_sample_store
    from uiv_core.publish import publication as module

    con = build_sample_store(tmp_path, publish=True)
    monkeypatch.setattr(module, "GROUP_CELLS", 30_000)  # period by period, whatever the sample's size
    build_publication(con)
    by_period = con.execute("SELECT * FROM published_comparison_results").df()
    assert len(by_period) > 100_000 and len(by_period[["period", "period_type"]].drop_duplicates()) >= 5
    listed = module.query
    monkeypatch.setattr(module, "query", lambda name, **kw: "SELECT NULL, NULL WHERE FALSE"
                        if name == "published_periods_list" else listed(name, **kw))
    build_publication(con)
    at_once = con.execute("SELECT * FROM published_comparison_results").df()
    pd.testing.assert_frame_equal(by_period, at_once)
    con.close()


def test_published_comparisons_rewrite_only_the_periods_whose_key_changed(tmp_path):
    """With `incremental`, the published comparisons keep a period whose comparisons and published
    counts are as before, rewrite one whose key changed (here: its comparisons' key), and equal
    the table written whole."""
    from conftest import build_sample_store

    con = build_sample_store(tmp_path, publish=True)
    assert build_publication(con, incremental=True)["comparison_periods_written"] == []  # nothing new
    period = "2026Q3"
    con.execute("""UPDATE period_state SET key = 'changed'
                   WHERE table_name = 'comparison_results' AND period = $p AND period_type = 'rolling4q'""", {"p": period})
    con.execute("CREATE TABLE kept AS SELECT * FROM published_comparison_results WHERE period <> $p", {"p": period})
    counts = build_publication(con, incremental=True)
    assert counts["comparison_periods_written"] == [f"{period} rolling4q"] and not counts["comparisons_whole"]
    con.execute("CREATE TABLE incremental AS SELECT * FROM published_comparison_results")
    assert build_publication(con)["comparisons_whole"]
    for mine, other in (("incremental", "published_comparison_results"), ("published_comparison_results", "incremental")):
        assert con.execute(f"SELECT count(*) FROM (FROM {mine} EXCEPT ALL FROM {other})").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM ((FROM kept EXCEPT ALL FROM incremental WHERE period <> $p))",
                       {"p": period}).fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM kept").fetchall()[0][0] > 10_000
    con.close()
