"""Case-mix adjusted cells (`adjusted_indicators`, `published_adjusted`) on the sample data,
recomputed independently in pandas from the follow-ups with the pure functions of
`uiv_core.cells.standardisation` (themselves held to PHEindicatormethods' test data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_PEERS as PEERS
from conftest import build_sample_store
from test_indicators import _periods, _row_flags
from uiv_core.cells.adjusted import EXPECTED_FLOOR
from uiv_core.cells.standardisation import isratio, israte
from uiv_schema.indicators import ADJUSTED_INDICATORS, INDICATOR_BY_ID
from uiv_schema.municipalities import municipalities

MIN_N = 10
KEYS = ["period", "period_type", "unit_code", "unit_type", "target_group", "indicator_id"]
STRATA = ["target_group", "sex", "age_group", "substance_stratum"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    con = build_sample_store(tmp_path_factory.mktemp("adjusted"), min_n=MIN_N, publish=True)
    yield con
    con.close()


def recompute_adjusted(followups: pd.DataFrame) -> pd.DataFrame:
    """Every adjusted cell from the contract: strata of target group × sex × age group (× main
    substance within missbruk), the country's stratum shares of the same period as standard."""
    ids = [i.id for i in ADJUSTED_INDICATORS]
    flags = _row_flags(followups)[[f"{part}|{i}" for i in ids for part in ("x", "n")]]
    base = pd.concat([followups, flags], axis=1)
    base["substance_stratum"] = np.where(base["target_group"] == "missbruk",
                                         base["main_substance"].fillna(""), "")
    county = {c: "00" + m.county_code for c, m in municipalities().items()}
    parts = []
    for by_period in _periods(base)[1:]:  # years and rolling windows
        sums = by_period.groupby(["period_type", "period", "municipality_code", *STRATA])[list(flags.columns)].sum()
        long = sums.stack().rename("amount").rename_axis([*sums.index.names, "measure"]).reset_index()
        long[["part", "indicator_id"]] = long["measure"].str.split("|", expand=True)
        long = long.pivot_table(index=["period_type", "period", "municipality_code", *STRATA, "indicator_id"],
                                columns="part", values="amount").reset_index()
        long = long[long["n"] > 0]
        period_keys = ["period_type", "period", *STRATA, "indicator_id"]
        standard = long.groupby(period_keys)[["x", "n"]].sum().rename(columns={"x": "X", "n": "N"}).reset_index()
        units = [long.assign(unit_type="kommun", unit_code=long["municipality_code"]),
                 long.assign(unit_type="lan", unit_code=long["municipality_code"].map(county))]
        peers = long["municipality_code"].map(PEERS)
        units.append(long[peers.notna()].assign(unit_type="grupp", unit_code=peers[peers.notna()]))
        for unit in units:
            cells = unit.merge(standard, on=period_keys)
            cells["e"] = cells["n"] * cells["X"] / cells["N"]
            for target in (None, "alla"):
                grouped = cells if target is None else cells.assign(target_group="alla")
                sums = grouped.groupby(KEYS)[["x", "n", "e"]].sum().reset_index()
                country = (standard if target is None else standard.assign(target_group="alla"))
                share = country.groupby(["period_type", "period", "target_group", "indicator_id"])[["X", "N"]].sum()
                share = (share["X"] / share["N"]).rename("p").reset_index()
                parts.append(sums.merge(share, on=["period_type", "period", "target_group", "indicator_id"]))
    table = pd.concat(parts, ignore_index=True).rename(columns={"x": "observed", "n": "denominator", "e": "expected"})
    o, e, p = (table[c].to_numpy(float) for c in ("observed", "expected", "p"))
    out = {"standard_value": 100 * p}
    for level, confidence in (("95", 0.95), ("998", 0.998)):
        ratio, low, high = isratio(o, e, confidence)
        share, share_low, share_high = israte(o, e, p, confidence, 100)
        capped = lambda v: np.minimum(v, 100.0)  # noqa: E731 - a share is at most 100 %
        out |= {"ratio": ratio, f"ratio_ci{level}_low": low, f"ratio_ci{level}_high": high,
                "value": capped(share), f"ci{level}_low": capped(share_low), f"ci{level}_high": capped(share_high)}
    return table.assign(**out)


def _significance(row) -> str:
    if row["denominator"] < MIN_N or row["expected"] < EXPECTED_FLOOR:
        return "ej jämförbar"
    higher = INDICATOR_BY_ID[row["indicator_id"]].polarity == "higher"
    if row["ratio_ci95_low"] > 1:
        return "bättre" if higher else "sämre"
    if row["ratio_ci95_high"] < 1:
        return "sämre" if higher else "bättre"
    return "likvärdig"


def test_every_adjusted_cell_equals_an_independent_recomputation(sample_db):
    stored = sample_db.sql("SELECT * FROM adjusted_indicators").df()
    expected = recompute_adjusted(sample_db.sql("SELECT * FROM followups").df())
    assert len(stored) == len(expected) > 10_000
    both = stored.merge(expected, on=KEYS, how="outer", suffixes=("", "_oracle"), indicator=True)
    assert (both["_merge"] == "both").all()
    assert (both["observed"] == both["observed_oracle"]).all()
    assert (both["denominator"] == both["denominator_oracle"]).all()
    for column in ("expected", "standard_value", "ratio", "ratio_ci95_low", "ratio_ci95_high", "ratio_ci998_low",
                   "ratio_ci998_high", "value", "ci95_low", "ci95_high", "ci998_low", "ci998_high"):
        positive = both["expected_oracle"] > 0
        np.testing.assert_allclose(both.loc[positive, column], both.loc[positive, f"{column}_oracle"],
                                   rtol=1e-9, atol=1e-12, err_msg=column)
    assert (both["suppressed"] == ((both["denominator"] < MIN_N) | (both["expected"] < EXPECTED_FLOOR))).all()
    assert (both["significance"] == both.apply(_significance, axis=1)).all()
    # the observed count is the crude cell's numerator; the country (the standard) has no rows
    crude = sample_db.execute("""SELECT count(*) FROM adjusted_indicators a JOIN indicator_counts i
        USING (period, period_type, unit_code, unit_type, target_group, indicator_id)
        WHERE i.breakdown = 'alla' AND i.numerator = a.observed AND i.denominator = a.denominator""").fetchall()[0][0]
    assert crude == len(stored)
    assert set(stored["unit_type"]) == {"kommun", "lan", "grupp"}
    assert set(stored["period_type"]) == {"year", "rolling4q"}
    assert set(stored["significance"]) == {"bättre", "likvärdig", "sämre", "ej jämförbar"}
    assert (stored["value"].dropna() <= 100).all() and (stored["ci998_high"].dropna() <= 100).all()
    assert (stored["ratio_ci998_high"] * stored["standard_value"] > 100).any()  # the cap is at work


def test_the_adjusted_counts_add_up_to_the_country(sample_db):
    # Σ over the municipalities of E = Σ of O for the country: the standard is the country itself
    gap = sample_db.execute("""
        SELECT max(abs(sum_e - sum_o)) FROM (
            SELECT period, period_type, target_group, indicator_id, sum(expected) AS sum_e, sum(observed) AS sum_o
            FROM adjusted_indicators WHERE unit_type = 'kommun' GROUP BY ALL)""").fetchall()[0][0]
    assert gap < 1e-6


def test_published_adjusted_shows_only_where_the_crude_cell_is_shown_and_rounds(sample_db):
    rows = sample_db.sql("""
        SELECT pa.*, pc.numerator AS crude_numerator, a.suppressed AS internal_suppressed,
               a.ratio AS exact_ratio, a.expected AS exact_expected
        FROM published_adjusted pa
        JOIN published_counts pc USING (period, period_type, unit_code, unit_type, target_group, indicator_id)
        JOIN adjusted_indicators a USING (period, period_type, unit_code, unit_type, target_group, indicator_id)
        WHERE pc.breakdown = 'alla'""").df()
    assert len(rows) == sample_db.execute("SELECT count(*) FROM published_adjusted").fetchall()[0][0] > 1000
    shown = rows["crude_numerator"].notna() & ~rows["internal_suppressed"]
    assert (rows["suppressed"] == ~shown).all()
    assert rows.loc[~shown, ["ratio", "expected", "value", "ratio_ci95_low"]].isna().all().all()
    assert (rows.loc[~shown, "significance"] == "ej jämförbar").all()
    assert shown.sum() > 1000 and (~shown).sum() > 100
    visible = rows[shown]
    half_up = lambda x, digits: np.floor(x * 10**digits + 0.5) / 10**digits  # noqa: E731 - SQL's round()
    assert np.allclose(visible["ratio"], half_up(visible["exact_ratio"], 2))
    assert np.allclose(visible["expected"], half_up(visible["exact_expected"], 0))
    # the adjusted share is O/E × the country's crude share: never shown where that one is hidden
    country = sample_db.sql("""
        SELECT pa.value, pa.standard_value, pa.ratio, pa.suppressed, c.numerator AS country_numerator
        FROM published_adjusted pa
        JOIN published_counts c ON c.unit_type = 'riket' AND c.period = pa.period AND c.period_type = pa.period_type
         AND c.target_group = pa.target_group AND c.breakdown = 'alla' AND c.indicator_id = pa.indicator_id""").df()
    hidden_country = country[country["country_numerator"].isna() & ~country["suppressed"]]
    assert len(hidden_country) > 0
    assert hidden_country[["value", "standard_value"]].isna().all().all() and hidden_country["ratio"].notna().all()
    assert country.loc[country["country_numerator"].notna() & ~country["suppressed"], "value"].notna().all()
    # periods: only the published ones (rolling windows, complete years)
    published_periods = set(map(tuple, sample_db.execute(
        "SELECT DISTINCT period, period_type FROM published_counts").fetchall()))
    assert set(map(tuple, rows[["period", "period_type"]].drop_duplicates().to_numpy())) <= published_periods


def test_the_demo_municipality_with_a_skewed_client_mix_is_worse_crude_and_as_expected_adjusted(sample_db):
    """Malmö (1280) follows up mostly opioid and amphetamine users with average service quality
    (data_samples/generate.py, SKEWED_MIX): its crude share improved in substance use is 'sämre'
    than the country's, its case-mix adjusted one 'likvärdig' (O/E about 1)."""
    latest = sample_db.execute("SELECT max(period) FROM published_adjusted WHERE period_type = 'rolling4q'").fetchall()[0][0]
    key = {"period": latest, "unit": "1280", "indicator": "improved_share.missbruk"}
    crude = sample_db.execute("""
        SELECT significance FROM published_comparisons
        WHERE period = $period AND period_type = 'rolling4q' AND unit_code = $unit AND target_group = 'missbruk'
          AND breakdown = 'alla' AND indicator_id = $indicator AND benchmark_unit_type = 'riket'""", key).fetchall()
    adjusted = sample_db.execute("""
        SELECT significance, ratio, ratio_ci95_low, ratio_ci95_high FROM published_adjusted
        WHERE period = $period AND period_type = 'rolling4q' AND unit_code = $unit AND unit_type = 'kommun'
          AND target_group = 'missbruk' AND indicator_id = $indicator""", key).fetchall()
    assert crude == [("sämre",)]
    (significance, ratio, low, high), = adjusted
    assert significance == "likvärdig" and low <= 1 <= high and 0.9 < ratio < 1.1


@pytest.fixture(scope="module")
def published_files(sample_db, tmp_path_factory):
    from uiv_core.publish.exports import write_exports
    from uiv_core.publish.report import build_report

    out = tmp_path_factory.mktemp("adjusted-out")
    write_exports(sample_db, out / "exports", "2026-12-07T00:00:00")
    build_report(sample_db, out / "report", "2026-12-07T00:00:00", MIN_N, images=False)
    return out


def _malmo_latest(sample_db) -> tuple:
    return sample_db.execute("""
        SELECT period, ratio, ratio_ci95_low, ratio_ci95_high, value FROM published_adjusted
        WHERE unit_code = '1280' AND unit_type = 'kommun' AND period_type = 'rolling4q' AND target_group = 'missbruk'
          AND indicator_id = 'improved_share.missbruk'
        ORDER BY period DESC LIMIT 1""").fetchall()[0]


def test_the_exports_hold_the_adjusted_cells_as_published(sample_db, published_files):
    import openpyxl
    import pyarrow.parquet as pq

    from uiv_core.publish.adjusted_exports import ADJUSTED_COLUMNS
    from uiv_schema.labels import EXPORT_HEADERS, SUPPRESSED_MARK

    table = pq.read_table(published_files / "exports" / "adjusted.parquet").to_pandas()
    stored = sample_db.sql("SELECT * FROM published_adjusted").df()
    assert len(table) == len(stored)
    pd.testing.assert_frame_equal(table[stored.columns].reset_index(drop=True), stored, check_dtype=False)
    assert table["unit_name"].notna().all() and table["indicator_name"].notna().all()

    book = openpyxl.load_workbook(published_files / "exports" / "indikatorer_justerade.xlsx", read_only=True)
    assert book.sheetnames == ["Om filen", "Justerade"]
    rows = list(book["Justerade"].iter_rows(values_only=True))
    headers = [EXPORT_HEADERS[key] for key, _, _ in ADJUSTED_COLUMNS]
    assert list(rows[0]) == headers and len(rows) - 1 == len(stored)
    frame = pd.DataFrame(rows[1:], columns=headers)
    period, ratio, low, high, value = _malmo_latest(sample_db)
    malmo = frame[(frame["Enhetskod"] == "1280") & (frame["Period"] == period) & (frame["Målgrupp"] == "Missbruk")
                  & (frame["Indikator-id"] == "improved_share.missbruk")]
    assert malmo[["O/E", "O/E KI 95 % nedre", "O/E KI 95 % övre", "Justerad andel"]].values.tolist() == [[ratio, low, high, value]]
    assert malmo["Jämfört med riket, justerat"].tolist() == ["Ingen säker skillnad"]
    hidden = frame[frame["Jämfört med riket, justerat"] == "Kan inte jämföras"]
    assert len(hidden) > 0 and (hidden["O/E"] == SUPPRESSED_MARK).all() and (hidden["Förväntat antal (E)"] == SUPPRESSED_MARK).all()


def test_the_pages_show_the_adjusted_figure_beside_the_crude_one(sample_db, published_files):
    from uiv_core.publish import swedish

    _, ratio, low, high, _ = _malmo_latest(sample_db)
    page = (published_files / "report" / "kommun" / "1280.html").read_text(encoding="utf-8")
    assert "Justerat för ålder, kön, målgrupp och huvuddrog" in page
    assert swedish.ratio(ratio, low, high) in page  # e.g. "0,98 (0,86–1,10) av förväntat"
    county = (published_files / "report" / "lan" / "12.html").read_text(encoding="utf-8")
    assert 'id="funnel-adjusted-12"' in county and "Justerat för klientsammansättning: observerat mot förväntat" in county
    methods = (published_files / "report" / "metod.html").read_text(encoding="utf-8")
    assert "Justerat för klientsammansättning" in methods and "1,00 är som förväntat" in methods


def test_publication_rebuilds_adjusted_cells_older_than_the_indicators(tmp_path):
    from uiv_core.cells.adjusted import adjusted_is_current
    from uiv_core.publish.publication import build_publication

    con = build_sample_store(tmp_path, min_n=MIN_N)  # a copy of the session's store, ours to change
    assert adjusted_is_current(con, MIN_N)
    assert not adjusted_is_current(con, MIN_N + 5)  # another min n: other suppressions
    con.execute("""UPDATE adjusted_indicators SET observed = observed + 1, ratio = 9
                   WHERE unit_code = '1280' AND period_type = 'rolling4q' AND target_group = 'missbruk'
                     AND indicator_id = 'improved_share.missbruk'""")  # as if left behind by a partial run
    assert not adjusted_is_current(con, MIN_N)
    build_publication(con)
    assert adjusted_is_current(con, MIN_N)
    assert con.execute("""SELECT max(ratio) FROM published_adjusted WHERE unit_code = '1280'
                          AND target_group = 'missbruk' AND indicator_id = 'improved_share.missbruk'""").fetchall()[0][0] < 2
    con.close()


def test_the_adjusted_cells_rewrite_only_the_periods_whose_quarters_changed(tmp_path):
    """With `incremental`: nothing changed, nothing written; a changed quarter's key (here its
    fingerprint in `indicators_state`) rewrites the year and the rolling windows holding it, and
    the table equals the one built whole; another min n rewrites every period."""
    from uiv_core.cells.adjusted import build_adjusted

    con = build_sample_store(tmp_path, min_n=MIN_N)
    assert build_adjusted(con, MIN_N, incremental=True).periods == 0
    con.execute("UPDATE indicators_state SET fingerprint = 'changed' WHERE quarter = '2025Q2'")
    written = build_adjusted(con, MIN_N, incremental=True)
    periods = [p for (p,) in con.execute("""SELECT DISTINCT period_type || ' ' || period FROM adjusted_indicators
                                            ORDER BY 1""").fetchall()]
    reached = [p for p in periods if p in ("year 2025", "rolling4q 2025Q2", "rolling4q 2025Q3", "rolling4q 2025Q4",
                                           "rolling4q 2026Q1")]
    assert written.periods == len(reached) >= 3 and len(periods) > written.periods
    con.execute("CREATE TABLE incremental AS SELECT * FROM adjusted_indicators")
    build_adjusted(con, MIN_N)
    for mine, other in (("incremental", "adjusted_indicators"), ("adjusted_indicators", "incremental")):
        assert con.execute(f"SELECT count(*) FROM (FROM {mine} EXCEPT ALL FROM {other})").fetchall() == [(0,)]
    assert build_adjusted(con, MIN_N + 5, incremental=True).periods == len(periods)
    con.close()
