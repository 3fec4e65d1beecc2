"""The chart builders (`uiv_core.publish.charts`) on a real DuckDB built from the sample exports.

The figures are checked against the published_* tables: what is drawn is exactly what is
published, suppressed cells are `..` and never a bar, point or number, the own municipality
stands out, error bars and funnel limits are the published / statistics-module values, tartan
colours are `published_comparisons.colour`. `indicators` is read only to know the hidden values
that must not leak. The builders return plain Plotly figure dicts (`{"data": [...], "layout": {...}}`);
`test_figures_are_valid_plotly` checks them against Plotly's schema with `go.Figure`.
"""

from __future__ import annotations

import json
import math
import re
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from conftest import SAMPLE_PEERS as PEERS
from conftest import build_sample_store
from uiv_core.publish import charts, swedish
from uiv_core.cells.statistics import funnel_limits_overdispersed, funnel_limits_proportion
from uiv_schema.indicators import INDICATOR_BY_ID, INDICATORS
from uiv_schema.labels import CHART_LABELS, COLOUR_LABELS, FUNNEL_LABELS, SIGNIFICANCE_LABELS, SUPPRESSED_MARK
from uiv_schema.municipalities import counties, municipalities, unit_name
from uiv_schema.results import CELL_KEY

MIN_N = 10
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    con = build_sample_store(folder, MIN_N, publish=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def period(db):
    return db.execute("SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q'").fetchall()[0][0]


@pytest.fixture(scope="module")
def ranked_case(db, period):
    """(target group, indicator): an improved share with published and hidden municipalities."""
    return db.execute("""
        SELECT target_group, indicator_id FROM published_indicators
        WHERE unit_type = 'kommun' AND period = $p AND period_type = 'rolling4q' AND breakdown = 'alla'
          AND indicator_id LIKE 'improved_share.%'
        GROUP BY ALL HAVING count(value) >= 5 AND count(*) - count(value) >= 2
        ORDER BY count(*) - count(value) DESC, target_group, indicator_id LIMIT 1""", {"p": period}).fetchall()[0]


def _rows(db, sql: str, **params) -> list[dict]:
    """Rows as dicts, NULL as None."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _published(db, where: str, **params) -> dict:
    """{unit_code: row} of published_indicators rows."""
    return {r["unit_code"]: r for r in _rows(db, f"SELECT * FROM published_indicators WHERE {where}", **params)}


def _hidden_values(db, where: str, **params) -> list[tuple[float, str]]:
    """(value, unit) of the cells publication hides, their real values read from `indicators`."""
    return [(v, INDICATOR_BY_ID[i].unit) for v, i in db.execute(f"""
        SELECT i.value, i.indicator_id FROM indicators i JOIN published_indicators p USING ({', '.join(CELL_KEY)})
        WHERE p.suppression IS NOT NULL AND {where}""", params).fetchall()]


def _walk(node, key=None):
    """(key, leaf) pairs of a figure's JSON."""
    if isinstance(node, dict):
        for k, value in node.items():
            yield from _walk(value, k)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value, key)
    else:
        yield key, node


def _annotations(fig: dict) -> list[dict]:
    return fig["layout"].get("annotations", [])


def _assert_no_leak(fig, hidden: list[tuple[float, str]], published: list[float], texts: bool = True,
                    derived: str = "gräns", keys=("x", "y", "z", "base", "array", "arrayminus", "x0", "x1")):
    """No hidden value is in the figure: not among the numbers of its traces (but computed lines
    such as funnel limits, whose name holds `derived`) and shapes, and (for charts whose text is
    only cell values) not as a formatted value unless a published number has the same text;
    every "n = …" shown is at least the minimum n."""
    figure = json.loads(pio.to_json(fig, validate=False))
    traces = [t for t in figure["data"] if derived not in t.get("name", "")]
    leaves = [*_walk(traces), *_walk(figure["layout"].get("shapes", []))]
    numbers = {v for k, v in leaves if k in keys and isinstance(v, (int, float)) and not isinstance(v, bool)}
    strings = [v for _, v in leaves if isinstance(v, str)] + [a.get("text") or "" for a in _annotations(fig)]
    text = " | ".join(strings)
    published = [p for p in published if p is not None and not math.isnan(p)]
    shown = {swedish.number(p, unit, False) for p in published for unit in ("percent", "mean")}
    for value, unit in hidden:
        if any(math.isclose(value, p) for p in published):
            continue  # the same value is also published
        if round(value, 2) == value:
            continue  # 25.0 % of a hidden cell is no evidence where a shown denominator is 25
        assert value not in numbers, value
        if texts and swedish.number(value, unit, False) not in shown:
            assert re.search(rf"(?<![\d,]){re.escape(swedish.number(value, unit, False))}(?!\d)", text) is None
    for n in re.findall(r"n = ([\d ]+)", text):
        assert int(n.replace(" ", "")) >= MIN_N


# --- the published tables the charts rely on --------------------------------------------------


def test_hidden_cells_have_no_published_figures(db):
    assert db.execute("""SELECT count(*) FROM published_indicators WHERE suppression IS NOT NULL AND
        (numerator IS NOT NULL OR denominator IS NOT NULL OR value IS NOT NULL OR ci95_low IS NOT NULL
         OR ci95_high IS NOT NULL OR ci998_low IS NOT NULL OR ci998_high IS NOT NULL)""").fetchall() == [(0,)]
    assert db.execute("SELECT count(*) FROM published_indicators WHERE suppression IS NOT NULL").fetchall()[0][0] > 0
    assert db.execute(f"""SELECT DISTINCT c.colour, c.significance, c.funnel, c.quartile
        FROM published_comparisons c JOIN published_indicators p USING ({', '.join(CELL_KEY)})
        WHERE p.suppression IS NOT NULL""").fetchall() == [("grå", "ej jämförbar", None, None)]


def test_loaders_return_the_cell_columns(db, period):
    frames = [charts.chart_data_ranked(db, "satisfied_share", period, county_code="01"),
              charts.chart_data_trend(db, "0180", "satisfied_share"),
              charts.chart_data_spine(db, period), charts.chart_data_tartan(db, period, county_code="14")]
    for frame in frames:
        assert tuple(frame.columns) == charts.CELL_COLUMNS and not frame.empty
    ranked, trend, spine, tartan = frames
    assert {municipalities()[c].county_code for c in ranked.loc[ranked.unit_type == "kommun", "unit_code"]} == {"01"}
    assert set(ranked.unit_type) == {"kommun", "lan", "riket"}
    assert set(zip(trend.unit_type, trend.unit_code)) == {("kommun", "0180"), ("lan", "0001"), ("riket", "0000"),
                                                        ("grupp", "Storstäder")}
    assert set(spine.unit_type) == {"kommun", "riket"} and set(spine.period) == {period}
    assert tartan.loc[tartan.unit_type != "kommun", "colour"].isna().all()
    assert tartan.loc[tartan.unit_type == "kommun", "colour"].notna().all()


def test_formatting_is_swedish():
    assert swedish.number(72.44) == "72,4 %"
    assert swedish.number(72.44, sign=False) == "72,4"
    assert swedish.number(2.853, "mean") == "2,85"
    assert swedish.number(None) == SUPPRESSED_MARK and swedish.number(float("nan")) == SUPPRESSED_MARK
    assert swedish.count(3171) == "3 171"
    assert swedish.period("2026Q3", "rolling4q") == "Rullande fyra kvartal 2025Q4–2026Q3"
    assert swedish.period("2025", "year") == "Kalenderår 2025"


# --- ranked -----------------------------------------------------------------------------------


def test_ranked_chart(db, period, ranked_case):
    group, indicator_id = ranked_case
    data = charts.chart_data_ranked(db, indicator_id, period, group)
    cells = _published(db, "period = $p AND period_type = 'rolling4q' AND target_group = $g AND breakdown = 'alla' "
                           "AND indicator_id = $i AND unit_type = 'kommun'", p=period, g=group, i=indicator_id)
    shown = {unit_name("kommun", c): r for c, r in cells.items() if r["value"] is not None}
    hidden = {unit_name("kommun", c) for c, r in cells.items() if r["value"] is None}
    own = min(c for c, r in cells.items() if r["value"] is not None)
    fig = charts.ranked_chart(data, indicator_id, own_unit=own)

    points = [(name, x, trace) for trace in fig["data"] for name, x in zip(trace["y"], trace["x"])]
    assert {name for name, _, _ in points} == set(shown)  # every published one once, no hidden one
    assert len(points) == len(shown)
    for name, x, trace in points:
        row = shown[name]
        i = list(trace["y"]).index(name)
        assert x == row["value"]
        assert x + trace["error_x"]["array"][i] == pytest.approx(row["ci95_high"], abs=1e-9)
        assert x - trace["error_x"]["arrayminus"][i] == pytest.approx(row["ci95_low"], abs=1e-9)
    # order: best first, hidden last
    order = list(fig["layout"]["yaxis"]["categoryarray"])
    values = [shown[n]["value"] for n in order[:len(shown)]]
    assert values == sorted(values, reverse=True) and set(order[len(shown):]) == hidden
    marks = {a["y"] for a in _annotations(fig) if a["text"] == SUPPRESSED_MARK}
    assert marks == hidden
    # the own municipality: its own trace, orange diamond, bold tick
    own_trace = [t for t in fig["data"] if t.get("name") == unit_name("kommun", own)]
    assert len(own_trace) == 1 and list(own_trace[0]["y"]) == [unit_name("kommun", own)]
    assert own_trace[0]["marker"]["symbol"] == "diamond" and own_trace[0]["marker"]["color"] == charts.PALETTE["orange"]
    assert f"<b>{unit_name('kommun', own)}</b>" in fig["layout"]["yaxis"]["ticktext"]
    # country and county lines at the published values, labelled
    county = municipalities()[own].county_code
    benchmarks = _published(db, "period = $p AND period_type = 'rolling4q' AND target_group = $g AND "
                                "breakdown = 'alla' AND indicator_id = $i AND unit_type IN ('riket', 'lan')",
                            p=period, g=group, i=indicator_id)
    expected = {v["value"] for c, v in benchmarks.items() if c in ("0000", "00" + county) and v["value"] is not None}
    assert {s["x0"] for s in fig["layout"].get("shapes", [])} == expected
    labels = " ".join(a["text"] for a in _annotations(fig))
    assert ("Riket" in labels) == (benchmarks["0000"]["value"] is not None)
    assert (counties()[county] in labels) == (benchmarks["00" + county]["value"] is not None)
    # texts: Swedish, decimal comma
    assert fig["layout"]["title"]["text"] == INDICATOR_BY_ID[indicator_id].name_sv
    assert swedish.period(period, "rolling4q") in fig["layout"]["title"]["subtitle"]["text"]
    own_row = cells[own]
    assert swedish.number(own_row["value"]) in own_trace[0]["hovertext"][0]
    assert fig["layout"]["separators"] == ", " and fig["layout"]["font"]["family"] == charts.FONT
    _assert_no_leak(fig, _hidden_values(db, "p.period = $p AND p.period_type = 'rolling4q' AND p.target_group = $g "
                                            "AND p.breakdown = 'alla' AND p.indicator_id = $i", p=period, g=group,
                                        i=indicator_id),
                    [v for r in [*cells.values(), *benchmarks.values()] for v in (r["value"], r["ci95_low"],
                                                                                   r["ci95_high"])])


def test_ranked_chart_with_a_suppressed_own_municipality(db, period, ranked_case):
    group, indicator_id = ranked_case
    data = charts.chart_data_ranked(db, indicator_id, period, group)
    own = min(data.loc[(data.unit_type == "kommun") & data.value.isna(), "unit_code"])
    fig = charts.ranked_chart(data, indicator_id, own_unit=own)
    name = unit_name("kommun", own)
    assert all(name not in trace["y"] for trace in fig["data"])
    assert f"<b>{name}</b>" in fig["layout"]["yaxis"]["ticktext"]
    assert name in {a["y"] for a in _annotations(fig) if a["text"] == SUPPRESSED_MARK}


def test_ranked_chart_lower_is_better_puts_the_lowest_first(db, period):
    data = charts.chart_data_ranked(db, "dropout_share", period)
    fig = charts.ranked_chart(data, "dropout_share")
    by_name = {n: x for t in fig["data"] for n, x in zip(t["y"], t["x"])}
    values = [by_name[n] for n in fig["layout"]["yaxis"]["categoryarray"] if n in by_name]
    assert values == sorted(values)


def test_ranked_chart_marks_the_county_and_the_kommungrupp(db, period):
    """The own municipality's county members and kommungrupp members are traces of their own, and
    the group's published value is a third reference line beside the country and the county."""
    data = charts.chart_data_ranked(db, "satisfied_share", period, groups=True)
    own = "0180"
    group = "Storstäder"
    members = {c for c, g in db.execute("SELECT municipality_code, peer_group FROM peer_groups").fetchall()
               if g == group}
    fig = charts.ranked_chart(data, "satisfied_share", own_unit=own, peer_group=group, peer_members=members)
    by_trace = {t["name"]: set(t["y"]) for t in fig["data"]}
    county = CHART_LABELS["county_members"].format(county=counties()["01"])
    in_county = {unit_name("kommun", c) for c in data.loc[(data.unit_type == "kommun") & data.value.notna(), "unit_code"]
                 if municipalities()[c].county_code == "01" and c != own}
    assert by_trace[county] == in_county and by_trace["Stockholm"] == {"Stockholm"}
    group_trace = CHART_LABELS["group_members"].format(group=group)
    assert by_trace.get(group_trace, set()) == {unit_name("kommun", c) for c in members - {own}
                                                if municipalities()[c].county_code != "01"
                                                and c in set(data.loc[data.value.notna(), "unit_code"])}
    group_value = data.loc[(data.unit_type == "grupp") & (data.unit_code == group), "value"].iloc[0]
    assert group_value in {s["x0"] for s in fig["layout"]["shapes"]}
    assert any(a["text"].strip().startswith(group) for a in _annotations(fig))


def test_ranked_chart_of_the_whole_country_shows_places_not_290_rows(db, period):
    """290 municipalities: x is the place (1 = best), y the value; every published municipality is
    one point; the own municipality is labelled, its county and group in colour; the figure keeps a
    readable height."""
    data = charts.chart_data_ranked(db, "satisfied_share", period)
    base = data[data.unit_type == "kommun"].iloc[0]
    rng = np.random.default_rng(3)
    rows = []
    for i, code in enumerate(sorted(municipalities())):
        value = float(rng.uniform(40, 95)) if i % 9 else None
        rows.append({**base.to_dict(), "unit_code": code, "value": value,
                     "ci95_low": None if value is None else value - 5, "ci95_high": None if value is None else value + 4,
                     "suppression": "primär" if value is None else None})
    frame = pd.concat([data[data.unit_type != "kommun"], pd.DataFrame(rows)], ignore_index=True)
    own = next(r["unit_code"] for r in rows if r["value"] is not None and municipalities()[r["unit_code"]].county_code == "12")
    fig = charts.ranked_chart(frame, "satisfied_share", own_unit=own, peer_group="Storstäder",
                              peer_members={"0180", "1280", "1480"})
    shown = [r for r in rows if r["value"] is not None]
    points = [(x, y) for t in fig["data"] for x, y in zip(t["x"], t["y"])]
    assert len(points) == len(shown) and sorted(x for x, _ in points) == list(range(1, len(shown) + 1))
    best_first = [y for _, y in sorted(points)]
    assert best_first == sorted(best_first, reverse=True)
    assert fig["layout"]["height"] <= 600 and fig["layout"]["xaxis"]["title"]["text"] == CHART_LABELS["place_axis"]
    names = {t["name"] for t in fig["data"]}
    assert unit_name("kommun", own) in names and CHART_LABELS["county_members"].format(county=counties()["12"]) in names
    assert any(a["text"] == f"<b>{unit_name('kommun', own)}</b>" for a in _annotations(fig))
    hidden = len(rows) - len(shown)
    assert CHART_LABELS["hidden_count"].format(count=hidden) in fig["layout"]["title"]["subtitle"]["text"]


# --- funnel -----------------------------------------------------------------------------------


def test_funnel_chart(db, period, ranked_case):
    group, indicator_id = ranked_case
    data = charts.chart_data_funnel(db, indicator_id, period, group)
    country = data.loc[data.unit_type == "riket", "value"].iloc[0]
    own = min(data.loc[(data.unit_type == "kommun") & data.value.notna(), "unit_code"])
    fig = charts.funnel_chart(data, indicator_id, own_unit=own)
    traces = {t.get("name"): t for t in fig["data"]}
    for key, label in (("95", "95 %-gräns"), ("998", "99,8 %-gräns")):
        lower, upper = [t for t in fig["data"] if t.get("name") == label]
        limits = funnel_limits_proportion(country / 100, np.array(lower["x"]))
        np.testing.assert_array_equal(np.array(lower["y"], dtype=float), limits[f"lower_{key}"])
        np.testing.assert_array_equal(np.array(upper["y"], dtype=float), limits[f"upper_{key}"])
    assert list(traces[f"Riket {swedish.number(country)}"]["y"]) == [country, country]
    # the points: exactly the published municipalities, grouped by their stored funnel label
    published = data[(data.unit_type == "kommun") & data.value.notna()]
    drawn = set()
    for label in published.funnel.unique():
        trace = traces[FUNNEL_LABELS[label]]
        expected = published[published.funnel == label]
        assert sorted(zip(trace["x"], trace["y"])) == sorted(zip(expected.denominator.astype(float), expected.value))
        drawn |= set(zip(trace["x"], trace["y"]))
    assert len(drawn) == len(published)
    assert traces[unit_name("kommun", own)]["marker"]["symbol"] == "circle-open"
    assert set(FUNNEL_LABELS) >= set(published.funnel)
    _assert_no_leak(fig, _hidden_values(db, "p.period = $p AND p.period_type = 'rolling4q' AND p.target_group = $g "
                                            "AND p.breakdown = 'alla' AND p.indicator_id = $i", p=period, g=group,
                                        i=indicator_id),
                    list(data.value) + list(data.ci95_low) + list(data.ci95_high), texts=False)


def test_funnel_chart_overdispersed_and_polarity(db, period):
    data = charts.chart_data_funnel(db, "dropout_share", period)
    fig = charts.funnel_chart(data, "dropout_share", overdispersed=True)
    country = data.loc[data.unit_type == "riket", "value"].iloc[0]
    kommun = data[(data.unit_type == "kommun") & data.value.notna()]
    wide = [t for t in fig["data"] if t.get("name") == "95 %-gräns, justerad för överspridning"]
    assert len(wide) == 2
    limits = funnel_limits_overdispersed(kommun.numerator.astype(float), kommun.denominator.astype(float),
                                         country / 100, at=np.array(wide[0]["x"]))
    np.testing.assert_allclose(np.array(wide[0]["y"], dtype=float), limits["lower_95"])
    # lower is better: a high dropout share is drawn in the "worse" significance colour
    for trace in fig["data"]:
        if trace.get("name") == FUNNEL_LABELS["High (0.001)"]:
            assert trace["marker"]["color"] == charts.SIGNIFICANCE_STYLE["sämre"][0] and trace["marker"]["symbol"] == "triangle-up"
        if trace.get("name") == FUNNEL_LABELS["Low (0.001)"]:
            assert trace["marker"]["color"] == charts.SIGNIFICANCE_STYLE["bättre"][0]


def test_funnel_chart_rejects_a_mean(db, period):
    data = charts.chart_data_funnel(db, "mean_rating.missbruk", period)
    with pytest.raises(ValueError, match="percent"):
        charts.funnel_chart(data, "mean_rating.missbruk")


# --- trend ------------------------------------------------------------------------------------


def test_trend_chart_with_gaps_and_peer_group(db):
    case = db.execute("""
        SELECT unit_code, target_group, indicator_id FROM published_indicators
        WHERE unit_type = 'kommun' AND period_type = 'rolling4q' AND breakdown = 'alla'
          AND indicator_id LIKE 'improved_share.%' AND unit_code IN ('0180', '1280', '1480', '0380', '1281', '1283')
        GROUP BY ALL HAVING count(value) >= 2 AND count(*) - count(value) >= 1
        ORDER BY ALL LIMIT 1""").fetchall()[0]
    unit, group, indicator_id = case
    data = charts.chart_data_trend(db, unit, indicator_id, group)
    fig = charts.trend_chart(data, unit, indicator_id)
    rows = {r["period"]: r for r in _rows(
        db, "SELECT * FROM published_indicators WHERE unit_type = 'kommun' AND unit_code = $u AND period_type = "
            "'rolling4q' AND target_group = $g AND breakdown = 'alla' AND indicator_id = $i",
        u=unit, g=group, i=indicator_id)}
    name = unit_name("kommun", unit)
    line = next(t for t in fig["data"] if t.get("name") == name)
    assert list(line["x"]) == sorted(rows, key=lambda p: (p[:4], p[5]))
    for period, y in zip(line["x"], line["y"]):
        assert y == rows[period]["value"]  # None for a suppressed period: a gap, not 0
    assert line["connectgaps"] is False
    gaps = {a["x"] for a in _annotations(fig) if SUPPRESSED_MARK in a["text"]}
    assert gaps == {p for p, r in rows.items() if r["value"] is None}
    band = next(t for t in fig["data"] if t.get("fill") == "toself")
    band_points = {(x, y) for x, y in zip(band["x"], band["y"]) if x is not None}
    expected = {(p, r[k]) for p, r in rows.items() if r["value"] is not None for k in ("ci95_low", "ci95_high")}
    assert band_points == expected
    assert {t.get("name") for t in fig["data"]} >= {"Riket", PEERS[unit]}
    assert "Rullande fyra kvartal" in fig["layout"]["title"]["subtitle"]["text"]
    _assert_no_leak(fig, _hidden_values(db, "p.unit_code = $u AND p.unit_type = 'kommun' AND p.period_type = "
                                            "'rolling4q' AND p.target_group = $g AND p.breakdown = 'alla' AND "
                                            "p.indicator_id = $i", u=unit, g=group, i=indicator_id),
                    [v for r in rows.values() for v in (r["value"], r["ci95_low"], r["ci95_high"])], texts=False)


def test_trend_chart_falls_back_to_the_county(db):
    code = next(c for c in ("0126", "0127", "0136", "1290", "1441") if c not in PEERS)
    fig = charts.trend_chart(charts.chart_data_trend(db, code, "satisfied_share"), code, "satisfied_share")
    names = {t.get("name") for t in fig["data"]}
    assert counties()[municipalities()[code].county_code] in names and not names & set(PEERS.values())


# --- spine ------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["alla", "psykisk"])
def test_spine_chart(db, period, group):
    unit = "0180"
    data = charts.chart_data_spine(db, period, group)
    fig = charts.spine_chart(data, unit)
    ids = [i.id for i in INDICATORS if i.polarity and i.id in set(data.indicator_id)]
    names = [INDICATOR_BY_ID[i].name_sv for i in ids]
    assert list(fig["layout"]["yaxis"]["categoryarray"]) == names
    own = {r["indicator_id"]: r for r in _rows(db, f"""
        SELECT p.indicator_id, p.value, p.denominator, c.significance
        FROM published_indicators p JOIN published_comparisons c USING ({', '.join(CELL_KEY)})
        WHERE c.benchmark_unit_type = 'riket' AND p.unit_type = 'kommun' AND p.unit_code = $u AND p.period = $p
          AND p.period_type = 'rolling4q' AND p.target_group = $g AND p.breakdown = 'alla'""",
        u=unit, p=period, g=group)}
    markers = {}
    for significance, label in SIGNIFICANCE_LABELS.items():
        for trace in fig["data"]:
            if trace.get("name") == label:
                markers.update({y: (significance, x, trace["marker"]["symbol"])
                                for y, x in zip(trace["y"], trace["x"])})
    expected = {INDICATOR_BY_ID[i].name_sv: r["significance"] for i, r in own.items()
                if i in ids and r["value"] is not None}
    assert {y: s for y, (s, _, _) in markers.items()} == expected
    assert all(symbol == charts.SIGNIFICANCE_STYLE[s][1] for s, _, symbol in markers.values())
    texts = {t["x"][0]: dict(zip(t["y"], t["text"])) for t in fig["data"]
             if t["type"] == "scatter" and t.get("mode") == "text"}
    value_column, n_column = texts[-0.32], texts[-0.5]
    for indicator_id in ids:
        name, row = INDICATOR_BY_ID[indicator_id].name_sv, own.get(indicator_id)
        if row is None or row["value"] is None:
            assert value_column[name] == n_column[name] == SUPPRESSED_MARK and name not in markers
        else:
            assert value_column[name] == swedish.number(row["value"], INDICATOR_BY_ID[indicator_id].unit)
            assert n_column[name] == swedish.count(row["denominator"])
            if row["significance"] == "bättre":
                assert markers[name][1] > 0.5
            if row["significance"] == "sämre":
                assert markers[name][1] < 0.5
    # scaled rows: the country at the centre, the farthest municipality at an edge
    spread = next(t for t in fig["data"] if t.get("name") == CHART_LABELS["range"])
    for base, length in zip(spread["base"], spread["x"]):
        assert 0 <= base and base + length <= 1 + 1e-9
        assert min(base, 1 - base - length) == pytest.approx(0, abs=1e-9)
    assert [s["x0"] for s in fig["layout"].get("shapes", [])] == [0.5]
    if group == "psykisk":
        assert SUPPRESSED_MARK in value_column.values()
    _assert_no_leak(fig, _hidden_values(db, "p.unit_code = $u AND p.unit_type = 'kommun' AND p.period = $p AND "
                                            "p.period_type = 'rolling4q' AND p.target_group = $g AND "
                                            "p.breakdown = 'alla'", u=unit, p=period, g=group),
                    list(data.value), texts=False)


# --- tartan -----------------------------------------------------------------------------------


@pytest.mark.parametrize("county", ["01", None])
def test_tartan_chart(db, period, county):
    group = "vald"
    data = charts.chart_data_tartan(db, period, group, county_code=county)
    fig = charts.tartan_chart(data, county_code=county)
    heatmap = fig["data"][0]
    colours = {(r["unit_code"], r["indicator_id"]): r for r in _rows(db, f"""
        SELECT p.unit_code, p.indicator_id, p.value, p.suppression, c.colour
        FROM published_indicators p JOIN published_comparisons c USING ({', '.join(CELL_KEY)})
        WHERE c.benchmark_unit_type = 'riket' AND p.period = $p AND p.period_type = 'rolling4q'
          AND p.target_group = $g AND p.breakdown = 'alla'""", p=period, g=group)}
    codes = sorted({c for c, _ in colours if county is None or municipalities()[c].county_code == county})
    benchmarks = 1 + (county is not None)
    assert heatmap["type"] == "heatmap" and len(heatmap["x"]) == benchmarks + len(codes)
    ids = [i.id for i in INDICATORS if i.id in set(data.indicator_id)]
    assert list(heatmap["y"]) == [INDICATOR_BY_ID[i].name_sv for i in ids]
    code_of = {v: k for k, v in charts.TARTAN_CODES.items()}
    checked = 0
    for r, indicator_id in enumerate(ids):
        unit = INDICATOR_BY_ID[indicator_id].unit
        for c, code in enumerate(codes, start=benchmarks):
            cell, text, word = colours.get((code, indicator_id)), heatmap["text"][r][c], heatmap["customdata"][r][c]
            assert code_of[heatmap["z"][r][c]] == word
            if cell is None:
                assert (word, text) == ("grå", CHART_LABELS["no_data"])
                continue
            assert word == cell["colour"]
            if cell["value"] is None:
                assert text == SUPPRESSED_MARK and word == "grå"
            else:
                assert text == swedish.number(cell["value"], unit, False) + charts.OJ_MARKS[word]
            checked += 1
        assert heatmap["customdata"][r][0] == "benchmark"
    assert checked > 0 and any(SUPPRESSED_MARK == t for line in heatmap["text"] for t in line)
    for word, colour in charts.OJ_COLOURS.items():  # each z code's band of the colour scale
        k = charts.TARTAN_CODES[word]
        assert [c for _, c in heatmap["colorscale"][2 * k:2 * k + 2]] == [colour, colour]
    assert {t.get("name") for t in fig["data"][1:]} == {f"{COLOUR_LABELS[w]}{charts.OJ_MARKS[w]}"
                                                       for w in charts.OJ_COLOURS}
    hidden = _hidden_values(db, "p.unit_type = 'kommun' AND p.period = $p AND p.period_type = 'rolling4q' AND "
                                "p.target_group = $g AND p.breakdown = 'alla'", p=period, g=group)
    _assert_no_leak(fig, hidden, list(data.value) + list(data.ci95_low) + list(data.ci95_high),
                    keys=("x", "y", "base"))  # z holds colour codes, not values


# --- determinism and images -------------------------------------------------------------------


def _all_figures(db, period, ranked_case):
    group, indicator_id = ranked_case
    ranked = charts.chart_data_ranked(db, indicator_id, period, group)
    return {
        "ranked": charts.ranked_chart(ranked, indicator_id, own_unit="0180"),
        "funnel": charts.funnel_chart(ranked, indicator_id, own_unit="0180", overdispersed=True),
        "trend": charts.trend_chart(charts.chart_data_trend(db, "0180", indicator_id, group), "0180", indicator_id),
        "spine": charts.spine_chart(charts.chart_data_spine(db, period, group), "0180"),
        "tartan": charts.tartan_chart(charts.chart_data_tartan(db, period, group, county_code="01"), "01"),
    }


def test_figures_are_deterministic_and_fixed_size(db, period, ranked_case):
    first, second = _all_figures(db, period, ranked_case), _all_figures(db, period, ranked_case)
    for name, fig in first.items():
        assert pio.to_json(fig, validate=False) == pio.to_json(second[name], validate=False), name
        assert fig["layout"]["width"] and fig["layout"]["height"]
        assert fig["layout"]["font"]["family"] == charts.FONT


def test_figures_are_valid_plotly(db, period, ranked_case):
    """Every builder returns a plain figure dict that Plotly's schema accepts as it is: go.Figure
    raises on an invalid key or value, and gives back the same JSON (bar the template); plain JSON
    types only (no NaN, no numpy scalar); Plotly's default template stays off (`template: {}`)."""
    group, indicator_id = ranked_case
    figures = _all_figures(db, period, ranked_case)
    figures["ranked_county"] = charts.ranked_chart(
        charts.chart_data_ranked(db, indicator_id, period, group, county_code="01"), indicator_id, county_code="01")
    figures["funnel_plain"] = charts.funnel_chart(charts.chart_data_funnel(db, indicator_id, period, group),
                                                  indicator_id)
    figures["spine_suppressed"] = charts.spine_chart(charts.chart_data_spine(db, period, "psykisk"), "0180")
    figures["tartan_all"] = charts.tartan_chart(charts.chart_data_tartan(db, period, "vald"))
    for name, fig in figures.items():
        assert type(fig) is dict and set(fig) == {"data", "layout"}, name
        assert all(type(t) is dict and "type" in t for t in fig["data"]) and type(fig["layout"]) is dict, name
        plain = json.loads(json.dumps(fig, allow_nan=False))
        validated = go.Figure(fig)
        assert validated.layout.template.layout.to_plotly_json() == {}, name
        again = json.loads(pio.to_json(validated, validate=False))
        for figure in (plain, again):
            figure["layout"].pop("template")
        assert again == plain, name


def test_write_images_rejects_a_path_as_name(tmp_path):
    with pytest.raises(ValueError):
        charts.write_images({"../x": {"data": [], "layout": {}}}, tmp_path)
    assert charts.write_images({}, tmp_path).written == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium for Kaleido's image export")
def test_image_page_has_no_mathjax_and_plotly_from_the_package(db, period, ranked_case, tmp_path, monkeypatch):
    from kaleido import _page_generator

    from uiv_core.publish import images

    pages = []  # the HTML page Kaleido renders in: no MathJax, plotly.js from the plotly package
    generate = _page_generator.PageGenerator.generate_index
    monkeypatch.setattr(_page_generator.PageGenerator, "generate_index",
                        lambda self: pages.append(generate(self)) or pages[-1])
    figure = _all_figures(db, period, ranked_case)["ranked"]
    spec = tmp_path / "jobs.json"  # what write_images hands its child process
    spec.write_text(json.dumps({"browser": str(CHROMIUM), "jobs": [
        {"fig": figure, "path": str(tmp_path / "ranked.png"), "format": "png", "width": 800, "height": 600}]}))
    assert images._render(str(spec)) == 0  # the child's code, run here so that the page can be seen
    assert len(pages) == 1 and "mathjax" not in pages[0].lower() and "https:" not in pages[0]
    assert "plotly/package_data/plotly.min.js" in pages[0]
    assert (tmp_path / "ranked.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium for Kaleido's image export")
def test_write_images_png_and_svg(db, period, ranked_case, tmp_path):
    figures = _all_figures(db, period, ranked_case)
    figures = {"ranked": figures["ranked"], "tartan": figures["tartan"]}
    result = charts.write_images(figures, tmp_path / "img")
    assert result.note is None
    assert sorted(p.name for p in result.written) == ["ranked.png", "ranked.svg", "tartan.png", "tartan.svg"]
    for name, fig in figures.items():
        png = (tmp_path / "img" / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
        size = (fig["layout"]["width"], fig["layout"]["height"])
        assert struct.unpack(">II", png[16:24]) == size  # own size, scale 1
        svg = (tmp_path / "img" / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and "Riket" in svg


def test_one_colour_language_on_pages_and_charts():
    """The quartile colours are the same in the stylesheet and in every chart, and significance
    never borrows their hues (blue / grey / purple against green / yellow / red)."""
    from importlib import resources

    css = (resources.files("uiv_core.publish") / "templates" / "style.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", css))
    assert [variables[k] for k in ("green", "yellow", "red")] == [
        charts.OJ_COLOURS[c].lower() for c in ("grön", "gul", "röd")]
    quartile_hues = {charts.OJ_COLOURS[c].lower() for c in ("grön", "gul", "röd")}
    significance_hues = {colour.lower() for colour, _ in charts.SIGNIFICANCE_STYLE.values()}
    assert quartile_hues.isdisjoint(significance_hues)
    assert {variables["better"], variables["worse"]}.isdisjoint(quartile_hues)
