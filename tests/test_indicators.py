"""Indicators, comparisons and baselines on the sample data, recomputed independently in pandas.

The pandas version below is written from the contract (indicators-v1), not from the catalogue's
SQL: row-level flags per indicator, summed per cell with `groupby`, limits from
`uiv_core.cells.statistics` (itself tested against PHEindicatormethods).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_PEERS as PEERS
from conftest import benchmark_cell, build_sample_store, ingest
from methods_oracle import funnel_significance_proportion, mean_limits, phe_quantiles, trend_chi2, trend_chi2_means, wilson_limits
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.sql import query
from uiv_core.cells.indicators import build_indicators, load_peer_groups
from uiv_core.quarters import period_groups, quarter_index, quarter_label
from uiv_core.ingest.store import ensure_schema
from uiv_schema.codes import AREAS
from uiv_schema.indicators import INDICATOR_BY_ID, INDICATORS
from uiv_schema.municipalities import municipalities
from uiv_schema.results import CELL_KEY

EXPORTS = Path(__file__).resolve().parent.parent / "data_samples" / "exports"
KEYS = list(CELL_KEY)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("indicators")
    con = build_sample_store(folder)
    yield con
    con.close()


# --- the independent recomputation ------------------------------------------------------------


def _row_flags(f: pd.DataFrame) -> pd.DataFrame:
    """x (numerator), n (denominator), ss (sum of squares) per row and indicator, from the contract."""
    out = {}
    for area in AREAS:
        need = f[f"need_{area}"].astype(bool)
        rating = f[f"rating_{area}"].astype("float64")
        rated = need & rating.between(1, 4)
        out[f"x|need_share.{area}"], out[f"n|need_share.{area}"] = need, pd.Series(True, index=f.index)
        out[f"x|rating_coverage.{area}"], out[f"n|rating_coverage.{area}"] = rated, need
        out[f"x|improved_share.{area}"], out[f"n|improved_share.{area}"] = rated & (rating >= 3), rated
        out[f"x|marked_improvement_share.{area}"], out[f"n|marked_improvement_share.{area}"] = rated & (rating == 4), rated
        out[f"x|mean_rating.{area}"] = rating.where(rated, 0)
        out[f"n|mean_rating.{area}"] = rated
        out[f"ss|mean_rating.{area}"] = (rating * rating).where(rated, 0)
    satisfaction = f["satisfaction"].astype("float64")
    answered = satisfaction.between(1, 5)
    out["x|satisfied_share"], out["n|satisfied_share"] = answered & (satisfaction >= 4), answered
    ended = f["completed"].isin(["ja", "avbrutet"])
    out["x|dropout_share"], out["n|dropout_share"] = f["completed"] == "avbrutet", ended
    return pd.DataFrame({k: v.astype("int64") for k, v in out.items()}, index=f.index)


def _periods(f: pd.DataFrame) -> list[pd.DataFrame]:
    quarters = sorted(f["quarter"].unique(), key=quarter_index)
    first = quarter_index(quarters[0])
    rolling = []
    for label in quarters:
        if quarter_index(label) - 3 >= first:
            window = {quarter_label(quarter_index(label) - back) for back in range(4)}
            rolling.append(f[f["quarter"].isin(window)].assign(period=label))
    return [
        f.assign(period_type="quarter", period=f["quarter"]),
        f.assign(period_type="year", period=f["quarter"].str[:4]),
        pd.concat(rolling).assign(period_type="rolling4q"),
    ]


def _units(f: pd.DataFrame) -> list[pd.DataFrame]:
    county = f["municipality_code"].map({c: m.county_code for c, m in municipalities().items()})
    peers = f["municipality_code"].map(PEERS)
    return [
        f.assign(unit_type="kommun", unit_code=f["municipality_code"]),
        f.assign(unit_type="lan", unit_code="00" + county),
        f.assign(unit_type="riket", unit_code="0000"),
        f[peers.notna()].assign(unit_type="grupp", unit_code=peers[peers.notna()]),
    ]


def recompute_indicators(followups: pd.DataFrame) -> pd.DataFrame:
    flags = _row_flags(followups)
    base = pd.concat([followups, flags], axis=1)
    value_columns = list(flags.columns)
    parts = []
    for by_period in _periods(base):
        for by_unit in _units(by_period):
            for target in (None, "alla"):
                cells = by_unit if target is None else by_unit.assign(target_group="alla")
                for breakdown in ("alla", "sex", "age_group", "main_substance", "intervention"):
                    keyed = cells.assign(breakdown=breakdown,
                                         breakdown_value="alla" if breakdown == "alla" else cells[breakdown])
                    keyed = keyed[keyed["breakdown_value"].notna()]
                    sums = keyed.groupby(KEYS[:-1], dropna=False)[value_columns].sum().reset_index()
                    parts.append(sums)
    wide = pd.concat(parts, ignore_index=True)
    long = wide.melt(id_vars=KEYS[:-1], var_name="measure", value_name="amount")
    long[["measure", "indicator_id"]] = long["measure"].str.split("|", expand=True)
    table = long.pivot_table(index=KEYS, columns="measure", values="amount", aggfunc="sum").reset_index()
    table = table[table["n"] > 0].rename(columns={"x": "numerator", "n": "denominator"})
    return table


def _limits(table: pd.DataFrame) -> pd.DataFrame:
    units = table["indicator_id"].map(lambda i: INDICATOR_BY_ID[i].unit)
    percent = units == "percent"
    x, n = table["numerator"].to_numpy(float), table["denominator"].to_numpy(float)
    value = np.where(percent, 100 * x / n, x / n)
    ss = table["ss"].fillna(0).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.maximum(0, (ss - x * x / n) / (n - 1)))
    out = {"value": value}
    for level, confidence in (("95", 0.95), ("998", 0.998)):
        w_low, w_high = wilson_limits(np.where(percent, x, 0), n, confidence)
        m_low, m_high = mean_limits(value, sd, n, confidence)
        out[f"ci{level}_low"] = np.where(percent, 100 * w_low, m_low)
        out[f"ci{level}_high"] = np.where(percent, 100 * w_high, m_high)
    return table.assign(**out)


def test_every_indicator_cell_equals_an_independent_pandas_recomputation(sample_db):
    followups = sample_db.execute("SELECT * FROM followups").fetchdf()
    expected = _limits(recompute_indicators(followups)).sort_values(KEYS).reset_index(drop=True)
    actual = sample_db.execute(f"SELECT * FROM indicators ORDER BY {', '.join(KEYS)}").fetchdf()
    actual = actual.sort_values(KEYS).reset_index(drop=True)

    assert len(actual) == len(expected) > 100_000
    assert actual[KEYS].equals(expected[KEYS].astype(actual[KEYS].dtypes.to_dict()))
    assert (actual["numerator"].to_numpy() == expected["numerator"].to_numpy()).all()
    assert (actual["denominator"].to_numpy() == expected["denominator"].to_numpy()).all()
    for column in ("value", "ci95_low", "ci95_high", "ci998_low", "ci998_high"):
        np.testing.assert_allclose(actual[column].to_numpy(float), expected[column].to_numpy(float),
                                   rtol=0, atol=1e-12, equal_nan=True, err_msg=column)
    assert (actual["suppressed"] == (actual["denominator"] < 10)).all()


def test_the_catalogue_has_every_indicator_of_the_contract():
    ids = {i.id for i in INDICATORS}
    for family in ("need_share", "rating_coverage", "improved_share", "marked_improvement_share", "mean_rating"):
        assert {f"{family}.{a}" for a in AREAS} <= ids
    assert {"satisfied_share", "dropout_share"} <= ids
    assert len(ids) == 47


def test_cells_cover_every_period_unit_target_group_and_breakdown(sample_db):
    kinds = dict(sample_db.execute("SELECT 'p', list(DISTINCT period_type ORDER BY period_type) FROM indicators").fetchall())
    assert kinds["p"] == ["quarter", "rolling4q", "year"]
    units = {u for (u,) in sample_db.execute("SELECT DISTINCT unit_type FROM indicators").fetchall()}
    assert units == {"kommun", "lan", "riket", "grupp"}
    rolling = [p for (p,) in sample_db.execute(
        "SELECT DISTINCT period FROM indicators WHERE period_type = 'rolling4q' ORDER BY 1").fetchall()]
    assert rolling == ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]  # 2024Q4..2025Q3 is the first window
    breakdowns = {b for (b,) in sample_db.execute("SELECT DISTINCT breakdown FROM indicators").fetchall()}
    assert breakdowns == {"alla", "sex", "age_group", "main_substance", "intervention"}
    groups = {g for (g,) in sample_db.execute("SELECT DISTINCT target_group FROM indicators").fetchall()}
    assert groups == {"alla", "missbruk", "spel", "psykisk", "vald", "hemloshet"}


def test_benchmarks_pool_rows_and_are_not_means_of_municipal_values(sample_db):
    pooled, mean_of_values = sample_db.execute("""
        SELECT max(r.numerator * 100.0 / r.denominator - r.value), avg(k.value)
        FROM indicators r JOIN indicators k USING (period, period_type, target_group, breakdown, breakdown_value, indicator_id)
        WHERE r.unit_type = 'riket' AND k.unit_type = 'kommun' AND r.period = '2026Q3' AND r.period_type = 'rolling4q'
          AND r.indicator_id = 'improved_share.missbruk' AND r.breakdown = 'alla' AND r.target_group = 'alla'
    """).fetchall()[0]
    assert abs(pooled) < 1e-12
    country = sample_db.execute("""
        SELECT value, numerator, denominator FROM indicators WHERE unit_type = 'riket' AND period = '2026Q3'
          AND period_type = 'rolling4q' AND indicator_id = 'improved_share.missbruk'
          AND breakdown = 'alla' AND target_group = 'alla'""").fetchall()[0]
    sums = sample_db.execute("""
        SELECT sum(numerator), sum(denominator) FROM indicators WHERE unit_type = 'kommun' AND period = '2026Q3'
          AND period_type = 'rolling4q' AND indicator_id = 'improved_share.missbruk'
          AND breakdown = 'alla' AND target_group = 'alla'""").fetchall()[0]
    assert country[1:] == sums
    assert country[0] != pytest.approx(mean_of_values, abs=1e-6)


# --- comparisons ------------------------------------------------------------------------------


def _municipal(sample_db, where: str = "TRUE", benchmark: str = "riket") -> pd.DataFrame:
    return sample_db.execute(f"""
        SELECT i.*, c.benchmark_value, c.significance, c.quartile, c.colour, c.funnel, c.trend
        FROM indicators i JOIN comparisons c USING ({', '.join(KEYS)})
        WHERE c.benchmark_unit_type = $benchmark AND {where}""", {"benchmark": benchmark}).fetchdf()


def test_quartiles_equal_phe_quantile_in_every_group(sample_db):
    cells = _municipal(sample_db, "NOT i.suppressed")
    checked = 0
    for (indicator, *_), group in cells.groupby(["indicator_id", "period", "period_type", "target_group",
                                                  "breakdown", "breakdown_value"]):
        polarity = INDICATOR_BY_ID[indicator].polarity
        expected = phe_quantiles(group["value"].to_numpy(), 4, invert=polarity != "lower")
        actual = group["quartile"].to_numpy(float)
        np.testing.assert_array_equal(actual, expected)
        checked += len(group)
    assert checked > 10_000


def test_funnel_labels_equal_phe_assign_funnel_significance(sample_db):
    cells = _municipal(sample_db, "NOT i.suppressed AND i.indicator_id NOT LIKE 'mean_rating%'")
    country = sample_db.execute("SELECT * EXCLUDE (unit_code, unit_type) FROM indicators WHERE unit_type = 'riket'").fetchdf()
    merged = cells.merge(country, on=[k for k in KEYS if k not in ("unit_code", "unit_type")], suffixes=("", "_country"))
    checked = degenerate = 0
    for _, group in merged.groupby(["indicator_id", "period", "period_type", "target_group", "breakdown", "breakdown_value"]):
        baseline = group["numerator_country"].iloc[0] / group["denominator_country"].iloc[0]
        if baseline in (0.0, 1.0):
            # PHE's limits are degenerate at a 0 % or 100 % country value (its sigma adjustment labels
            # some 100 % cells "Low"); every municipality then equals the country: not significant.
            assert set(group["funnel"]) == {"Not significant"}
            degenerate += len(group)
            continue
        expected = funnel_significance_proportion(group["numerator"], group["denominator"], baseline=baseline)
        assert group["funnel"].tolist() == list(expected)
        checked += len(group)
    assert checked > 10_000 and degenerate < checked / 100


def test_trends_equal_the_chi_square_test_for_trend(sample_db):
    quarterly = sample_db.execute("""
        SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period, numerator, denominator
        FROM indicators WHERE unit_type = 'kommun' AND period_type = 'quarter'
          AND indicator_id IN ('improved_share.missbruk', 'dropout_share') AND breakdown IN ('alla', 'sex')""").fetchdf()
    trends = _municipal(sample_db, "NOT i.suppressed AND i.period_type = 'quarter' AND i.indicator_id IN ('improved_share.missbruk', 'dropout_share') AND i.breakdown IN ('alla', 'sex')")
    words = {"increasing": "ökar", "decreasing": "minskar", "no_change": "ingen förändring", "not_computed": "ej beräknad"}
    seen = set()
    for row in trends.itertuples():
        series = quarterly[(quarterly.unit_code == row.unit_code) & (quarterly.target_group == row.target_group)
                           & (quarterly.breakdown == row.breakdown) & (quarterly.breakdown_value == row.breakdown_value)
                           & (quarterly.indicator_id == row.indicator_id)]
        end = quarter_index(row.period)
        window = series[series.period.map(quarter_index).between(end - 7, end)]
        scores = window.period.map(quarter_index).to_numpy() - (end - 7)
        result = trend_chi2(window.numerator.to_numpy(), window.denominator.to_numpy(), scores=scores)
        assert row.trend == words[result.direction], (row, result)
        seen.add(row.trend)
    assert {"ökar", "minskar", "ingen förändring"} <= seen


def test_trends_of_mean_ratings_equal_the_score_test(sample_db):
    """Mean ratings get a trend too: the SQL (sum of squares back from the stored sd) against the
    oracle's test on each quarter's sum, count and sum of squares."""
    ids = ("mean_rating.missbruk", "mean_rating.boende")
    quarterly = sample_db.execute(f"""
        SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period, numerator, denominator,
               coalesce(sd * sd * (denominator - 1), 0) + numerator * numerator / denominator AS sum_squares
        FROM indicators WHERE unit_type = 'kommun' AND period_type = 'quarter' AND denominator > 0
          AND indicator_id IN {ids} AND breakdown = 'alla'""").fetchdf()
    trends = _municipal(sample_db, f"NOT i.suppressed AND i.period_type = 'quarter' AND i.indicator_id IN {ids} AND i.breakdown = 'alla'")
    words = {"increasing": "ökar", "decreasing": "minskar", "no_change": "ingen förändring", "not_computed": "ej beräknad"}
    seen = set()
    grouped = {key: frame for key, frame in quarterly.groupby(["unit_code", "target_group", "indicator_id"])}
    for row in trends.itertuples():
        series = grouped[(row.unit_code, row.target_group, row.indicator_id)]
        end = quarter_index(row.period)
        window = series[series.period.map(quarter_index).between(end - 7, end)]
        if window.empty or window.period.max() != row.period:
            continue
        result = trend_chi2_means(window.numerator, window.denominator, window.sum_squares,
                                  scores=window.period.map(quarter_index).to_numpy() - (end - 7))
        assert row.trend == words[result.direction], (row, result)
        seen.add(row.trend)
    assert {"ingen förändring"} <= seen and len(seen) >= 2, seen


def _expected_significance(row) -> str:
    polarity = INDICATOR_BY_ID[row.indicator_id].polarity
    if row.suppressed or polarity is None or pd.isna(row.benchmark_value):
        return "ej jämförbar"
    if row.ci95_low > row.benchmark_value:
        return "bättre" if polarity == "higher" else "sämre"
    if row.ci95_high < row.benchmark_value:
        return "sämre" if polarity == "higher" else "bättre"
    return "likvärdig"


@pytest.mark.parametrize("benchmark", ["riket", "lan", "grupp"])
def test_significance_follows_the_95_interval_and_polarity(sample_db, benchmark):
    cells = _municipal(sample_db, "i.period_type = 'rolling4q'", benchmark)
    assert len(cells) > 1000
    for row in cells.itertuples():
        assert row.significance == _expected_significance(row), row


def test_an_interval_that_touches_the_benchmark_is_no_difference(tmp_path):
    """The county's value set exactly to a municipality's lower 95 % limit (then to its upper
    one): the interval touches the benchmark, and the cell is `likvärdig`, not better or worse."""
    con = build_sample_store(tmp_path)
    cell = """unit_code = '0180' AND period = '2026Q3' AND period_type = 'rolling4q' AND target_group = 'alla'
              AND breakdown = 'alla' AND indicator_id = 'improved_share.missbruk'"""
    county = cell.replace("unit_code = '0180'", "unit_code = '0001'")
    # `indicators` is a view over the stored counts: a TEMP table of the same name, which DuckDB
    # reads first, lets the test set a value that no count gives
    con.execute("CREATE TEMP TABLE indicators AS SELECT * FROM main.indicators")
    for limit in ("ci95_low", "ci95_high"):
        (touch,) = con.execute(f"SELECT {limit} FROM indicators WHERE {cell}").fetchall()[0]
        con.execute(f"UPDATE indicators SET value = $v WHERE {county}", {"v": touch})
        build_comparisons(con)
        found = con.execute(f"""SELECT benchmark_value, significance FROM comparisons
                                WHERE {cell} AND benchmark_unit_type = 'lan'""").fetchall()
        assert found == [(touch, "likvärdig")]
    con.close()


def test_comparisons_built_one_period_at_a_time_equal_one_statement_over_every_period(tmp_path, monkeypatch):
    """The comparisons are built a group of periods at a time (a group's memory, not the store's);
    the rows, and their order in the table, are those of the one statement over every period,
    which the step runs when no period is listed."""
    from uiv_core.cells import comparisons as module

    con = build_sample_store(tmp_path)
    periods = con.execute(query("comparison_periods")).fetchall()
    assert len(periods) == 16 and periods == sorted(periods)
    monkeypatch.setattr(module, "GROUP_CELLS", 30_000)  # period by period, whatever the sample's size
    assert len(period_groups(periods, module.GROUP_CELLS)) == 16
    build_comparisons(con)
    by_period = con.execute("SELECT * FROM comparison_results").df()
    listed = module.query
    monkeypatch.setattr(module, "query", lambda name, **kw: "SELECT NULL, NULL WHERE FALSE"
                        if name == "comparison_periods" else listed(name, **kw))
    assert build_comparisons(con).rows == len(by_period) > 100_000
    at_once = con.execute("SELECT * FROM comparison_results").df()
    pd.testing.assert_frame_equal(by_period, at_once)
    con.close()


def test_the_sample_shows_real_green_and_red_cells_and_every_benchmark(sample_db):
    colours = dict(sample_db.execute("""
        SELECT colour, count(*) FROM comparisons WHERE period_type = 'rolling4q' AND breakdown = 'alla'
        AND benchmark_unit_type = 'riket' GROUP BY colour""").fetchall())
    assert colours["grön"] > 100 and colours["röd"] > 100 and colours["gul"] > 100
    significance = dict(sample_db.execute(
        "SELECT significance, count(*) FROM comparisons GROUP BY 1").fetchall())
    assert significance["bättre"] > 50 and significance["sämre"] > 50
    kinds = {k for (k,) in sample_db.execute("SELECT DISTINCT benchmark_unit_type FROM comparisons").fetchall()}
    assert kinds == {"riket", "lan", "grupp"}
    assert sample_db.execute(
        "SELECT count(*) FROM comparisons WHERE benchmark_unit_type = 'grupp' AND unit_code = '0114'").fetchall() == [(0,)]


def test_suppressed_cells_are_never_compared(tmp_path):
    """A cell under the min n has no `comparisons` rows (nothing to store); published, it stands
    'ej jämförbar', grey, without quartile, funnel or trend, beside the published benchmark value."""
    con = build_sample_store(tmp_path, 10, publish=True)
    assert con.execute(f"""
        SELECT count(*) FROM comparisons c JOIN indicators i USING ({', '.join(KEYS)})
        WHERE i.suppressed""").fetchall() == [(0,)]
    # the benchmark's value as the store has it, where its published label shows it (an
    # independent path: the internal cell and the stored label, not the view's own join)
    published = con.execute(f"""
        SELECT c.significance, c.colour, c.funnel, c.quartile, c.trend, c.benchmark_value,
               CASE WHEN pb.suppression IS NULL THEN b.value END AS value
        FROM published_comparisons c JOIN indicators i USING ({', '.join(KEYS)})
        JOIN published_counts pb ON {benchmark_cell('pb')}
        LEFT JOIN indicators b ON {benchmark_cell('b')}
        WHERE i.suppressed AND i.unit_type = 'kommun'""").fetchdf()
    assert len(published) > 1000
    assert set(published["significance"]) == {"ej jämförbar"} and set(published["colour"]) == {"grå"}
    assert published["funnel"].isna().all() and published["quartile"].isna().all()
    assert set(published["trend"]) == {"ej beräknad"}
    assert published["benchmark_value"].notna().sum() > 1000
    assert (published["benchmark_value"].isna() == published["value"].isna()).all()
    shown = published["value"].notna()
    assert (published.loc[shown, "benchmark_value"] == published.loc[shown, "value"]).all()
    con.close()


# --- baselines --------------------------------------------------------------------------------


def test_baselines_use_the_latest_rolling_four_quarters_and_explain_each_target(sample_db):
    rows = sample_db.execute("SELECT * FROM baselines").fetchdf()
    assert set(rows["period"]) == {"2026Q3"}
    assert set(rows["indicator_id"]) == {i.id for i in INDICATORS if i.polarity}
    assert rows.loc[rows["suppressed"], ["min_detectable_change", "n_needed"]].isna().all().all()
    assert rows.loc[~rows["suppressed"], "n_needed"].notna().mean() > 0.9
    stockholm = rows[(rows.unit_code == "0180") & (rows.target_group == "alla") & (rows.indicator_id == "dropout_share")].iloc[0]
    assert stockholm.peer_group == "Storstäder" and not np.isnan(stockholm.peer_median)
    indicator = sample_db.execute("""SELECT value, denominator FROM indicators WHERE unit_code = '0180' AND period = '2026Q3'
        AND period_type = 'rolling4q' AND breakdown = 'alla' AND target_group = 'alla' AND indicator_id = 'dropout_share'""").fetchall()[0]
    assert (stockholm.baseline_value, stockholm.baseline_n) == indicator


# --- configuration ----------------------------------------------------------------------------


def test_min_n_is_configurable(tmp_path):
    con = duckdb.connect(str(tmp_path / "uiv.duckdb"))
    ensure_schema(con)
    ingest(con, EXPORTS)
    build_indicators(con, 50, load_peer_groups("none"))
    wrong = con.execute("SELECT count(*) FROM indicators WHERE suppressed <> (denominator < 50)").fetchall()
    assert wrong == [(0,)]
    assert con.execute("SELECT count(*) FROM indicators WHERE unit_type = 'grupp'").fetchall() == [(0,)]


def test_without_configuration_every_municipality_is_in_its_kommungrupp():
    """SKR's kommungruppsindelning 2023 is the default peer grouping: 290 municipalities in nine
    groups named as SKR names them (A1 is Stockholm, Göteborg and Malmö)."""
    groups = load_peer_groups(None)
    assert len(groups) == 290 and set(groups.municipality_code) == set(municipalities())
    assert groups.peer_group.nunique() == 9
    assert sorted(groups[groups.peer_group == "Storstäder"].municipality_code) == ["0180", "1280", "1480"]
    assert groups.set_index("municipality_code").peer_group["0126"] == "Pendlingskommun nära storstad"


@pytest.mark.parametrize("content,message", [
    ("municipality_code;peer_group\n9999;A\n", "unknown municipality"),
    ("municipality_code;peer_group\n0180;A\n0180;B\n", "more than one group"),
    ("kommun;grupp\n0180;A\n", "missing"),
])
def test_bad_peer_group_files_are_explained(tmp_path, content, message):
    path = tmp_path / "peers.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_peer_groups(str(path))


def test_peer_groups_accept_lost_leading_zeros_and_commas(tmp_path):
    path = tmp_path / "peers.csv"
    path.write_text("municipality_code,peer_group\n180,Storstäder\n1280,Storstäder\n", encoding="utf-8")
    assert load_peer_groups(str(path)).values.tolist() == [["0180", "Storstäder"], ["1280", "Storstäder"]]


def test_the_follow_up_count_indicator_counts_every_follow_up():
    """Pages and the methods page read a cell's follow-ups off FOLLOWUPS_INDICATOR's denominator."""
    from uiv_schema.indicators import FOLLOWUPS_INDICATOR

    assert INDICATOR_BY_ID[FOLLOWUPS_INDICATOR].denominator == "TRUE"


def test_a_small_store_is_one_group_of_periods_a_large_one_a_group_per_period():
    from uiv_core.quarters import period_groups

    periods = [("2025", "year", 40), ("2025Q1", "quarter", 10), ("2025Q1", "rolling4q", 30)]
    every = ["2025 year", "2025Q1 quarter", "2025Q1 rolling4q"]
    assert period_groups(periods, 80) == [every]
    assert period_groups(periods, 79) == [[p] for p in every]
    assert period_groups([], 10) == []
