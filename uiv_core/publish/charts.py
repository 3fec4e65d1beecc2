"""Plotly charts of the published indicators: ranked, funnel, trend, spine (area profile), tartan.

Pure functions: a DataFrame in, a plain Plotly figure dict out (`{"data": [trace dicts],
"layout": {...}}`, valid Plotly JSON with nested dicts; no Dagster, no I/O but `write_images`).
The dicts are built without `plotly.graph_objects`, whose validation and template copies cost
~100× more than the chart itself; render them with `plotly.io.to_html(fig, validate=False, ...)`
and check them with `go.Figure(fig)` (tests/test_charts.py does). The frames come from the
published_* tables only (`uiv_core.publish.publication`), so a suppressed cell arrives with NULL
figures and is drawn as `..`, never as a number. Every `chart_data_*` loader returns the
columns `CELL_COLUMNS` (breakdown `alla`):

    unit_type, unit_code, period, period_type, target_group, indicator_id, numerator,
    denominator, value, ci95_low, ci95_high, ci998_low, ci998_high, suppression,
    significance, colour, funnel

the last three from the cell's `published_comparisons` row against the country (NULL for county,
country and peer-group rows). Each chart's docstring names the columns it reads.

Colours (`PALETTE`): Okabe & Ito (2008), distinguishable with the common colour-vision
deficiencies. Blue = municipalities, orange = the own municipality, black = the country. The
Öppna jämförelser colours and better/similar/worse use Okabe–Ito bluish green #009E73, yellow
#F0E442 and vermillion #D55E00 (light grey #DDDDDD = no colour), which differ in hue and
lightness also for deuteranopes and protanopes. Colour is never the only carrier: the tartan marks
the best quartile ▲ and the worst ▼ after the value; spine and funnel markers are up triangles
(better/high), circles (similar) and down triangles (worse/low); lines differ by dash. Better
always gets the green, whichever direction is good (`polarity`). Layout: no Plotly template
(`template: {}`) but the `simple_white` look set explicitly (`AXIS_STYLE`, `_layout`), system
fonts only, fixed sizes, decimal comma (`separators=", "`), no timestamps: the same data gives
the same `plotly.io.to_json(fig)`.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from uiv_core.quarters import quarter_index
from uiv_core.publish import swedish
from uiv_core.sql import query
from uiv_core.cells.statistics import funnel_limits_overdispersed, funnel_limits_proportion
from uiv_schema.indicators import INDICATOR_BY_ID, INDICATORS, LOWER, PERCENT
from uiv_schema.labels import (CHART_LABELS, COLOUR_LABELS, COUNTRY_NAME, FUNNEL_LABELS, PERIOD_TYPE_LABELS,
                               SIGNIFICANCE_LABELS, SUPPRESSED_MARK, TARGET_GROUP_LABELS)
from uiv_schema.municipalities import counties, municipalities, unit_name
from uiv_schema.results import COLOUR, SIGNIFICANCE

FONT = "Arial, Helvetica, sans-serif"
PALETTE = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
           "grey": "#999999", "light": "#DDDDDD", "dark": "#555555"}
#: the quartile colours, the same on the pages (style.css: --green, --yellow, --red) and in every chart
GOOD, MIDDLE, BAD = "#1b7837", "#e8b600", "#c5431b"
OJ_COLOURS = {COLOUR.GREEN: GOOD, COLOUR.MIDDLE: MIDDLE, COLOUR.RED: BAD, COLOUR.GREY: PALETTE["light"]}
OJ_MARKS = {COLOUR.GREEN: " ▲", COLOUR.MIDDLE: "", COLOUR.RED: " ▼", COLOUR.GREY: ""}
#: significance against the country → (fill colour, marker symbol)
#: hues of their own (blue, grey, reddish purple; Okabe-Ito), never the quartiles' green, yellow, red
SIGNIFICANCE_STYLE = {SIGNIFICANCE.BETTER: (PALETTE["blue"], "triangle-up"),
                      SIGNIFICANCE.SIMILAR: (PALETTE["grey"], "circle"),
                      SIGNIFICANCE.WORSE: (PALETTE["purple"], "triangle-down"),
                      SIGNIFICANCE.NOT_COMPARABLE: ("#FFFFFF", "diamond")}
FUNNEL_ORDER = ("High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)")
#: tartan heatmap z: the ÖJ colour of a municipal cell, or a benchmark column (white)
TARTAN_CODES = {COLOUR.GREEN: 0, COLOUR.MIDDLE: 1, COLOUR.RED: 2, COLOUR.GREY: 3, "benchmark": 4}

#: the key of a cell (tests join published tables on it)
CELL_COLUMNS = ("unit_type", "unit_code", "period", "period_type", "target_group", "indicator_id",
                "numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low",
                "ci998_high", "suppression", "significance", "colour", "funnel")


# --- loaders (SQL on the published_* tables) -------------------------------------------------


def _cells(con, selection: str, county_code: str | None = None, **params) -> pd.DataFrame:
    """The cells of one `selection` of chart_cells.sql (ranked, trend, indicators, spine, tartan)."""
    frame = con.execute(query("chart_cells", columns=CELL_COLUMNS, selection=selection), params).fetchdf()
    if county_code is not None:  # municipalities of one county; other unit types are kept
        county = frame.unit_code.map(_county_of())
        frame = frame[(frame.unit_type != "kommun") | (county == county_code)]
    return frame.reset_index(drop=True)


@cache
def _county_of() -> dict[str, str]:
    """{municipality code: county code}, for a frame's `map` (a function per row took 0.4 s of a report)."""
    return {code: m.county_code for code, m in municipalities().items()}


def chart_data_ranked(con, indicator_id: str, period: str, target_group: str = "alla",
                      period_type: str = "rolling4q", county_code: str | None = None,
                      groups: bool = False) -> pd.DataFrame:
    """One indicator and period: the municipalities (of `county_code`, or all), the counties and
    the country, and with `groups` the peer groups. Input of `ranked_chart` and `funnel_chart`
    (`chart_data_funnel`)."""
    return _cells(con, "ranked",
                  county_code, period_type=period_type, target_group=target_group,
                  indicator=indicator_id, period=period, groups=groups)


chart_data_funnel = chart_data_ranked


def chart_data_trend(con, unit_code: str, indicator_id: str, target_group: str = "alla",
                     period_type: str = "rolling4q") -> pd.DataFrame:
    """Every period of one indicator: the municipality, its peer group (table `peer_groups`), its
    county and the country. Input of `trend_chart`. The peer groups are looked up first and
    passed as a list: a subquery in the filter makes DuckDB scan the tables several times slower."""
    peers = [g for (g,) in con.execute(query("peer_groups_of"), {"unit": unit_code}).fetchall() if g is not None]
    return _cells(con, "trend",
                  period_type=period_type, target_group=target_group, indicator=indicator_id,
                  unit=unit_code, county="00" + municipalities()[unit_code].county_code, peers=peers)


def chart_data_trends_all(con, indicator_ids: list[str], target_group: str = "alla",
                          period_type: str = "rolling4q") -> pd.DataFrame:
    """Every period of some indicators for every unit: the report slices it per municipality
    (one query instead of one per page). Rows as `chart_data_trend` returns them."""
    return _cells(con, "indicators", period_type=period_type,
                  target_group=target_group, ids=list(indicator_ids))


def chart_data_spine(con, period: str, target_group: str = "alla", period_type: str = "rolling4q") -> pd.DataFrame:
    """Every indicator of one period: all municipalities and the country. Input of `spine_chart`."""
    return _cells(con, "spine",
                  period_type=period_type, target_group=target_group, period=period)


def chart_data_tartan(con, period: str, target_group: str = "alla", period_type: str = "rolling4q",
                      county_code: str | None = None) -> pd.DataFrame:
    """Every indicator of one period: the municipalities (of `county_code`, or all), the counties
    and the country. Input of `tartan_chart`."""
    return _cells(con, "tartan", county_code,
                  period_type=period_type, target_group=target_group, period=period)


# --- formatting and shared styling -----------------------------------------------------------


def _num(value) -> float | None:
    """A number as float; None for None, NaN and pd.NA."""
    if value is None or value is pd.NA or value != value:
        return None
    return float(value)


#: a cell that has no row (a period or unit missing from the data): every field None
_NO_CELL = namedtuple("_Cell", CELL_COLUMNS)(*[None] * len(CELL_COLUMNS))


@cache
def _row_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Row", columns, rename=True)


def _records(frame: pd.DataFrame) -> list:
    """The rows as named tuples (fields = columns; Python scalars, NULL as NaN or pd.NA), as
    `itertuples(index=False)` but column by column (iterating Arrow strings row by row is slow)."""
    return list(map(_row_type(tuple(frame.columns))._make, zip(*(frame[c].tolist() for c in frame.columns))))


def _cell_text(name: str, row, unit: str) -> str:
    """Hover text of a cell: name, value, 95 % interval, n; `..` when suppressed, `–` when no row."""
    if _num(row.value) is None:
        mark = SUPPRESSED_MARK if isinstance(row.suppression, str) else CHART_LABELS["no_data"]
        return f"{name}: {mark}"
    interval = "" if _num(row.ci95_low) is None else (
        f" ({CHART_LABELS['ci']} {swedish.number(row.ci95_low, unit, False)}–{swedish.number(row.ci95_high, unit)})")
    return f"{name}: {swedish.number(row.value, unit)}{interval}<br>n = {swedish.count(row.denominator)}"


def _hover(texts: list[str]) -> dict:
    return {"hovertext": texts, "hovertemplate": "%{hovertext}<extra></extra>"}


def _scope(frame: pd.DataFrame, indicator_id: str | None = None) -> tuple[pd.DataFrame, str, str, str]:
    """The rows (of one indicator), checked to hold one period, period type and target group."""
    rows = frame if indicator_id is None else frame[frame.indicator_id == indicator_id]
    columns = ["period", "period_type", "target_group"]
    keys = [rows[c].unique() for c in columns]  # one combination ⇔ one value in each column
    if any(len(k) != 1 for k in keys):
        count = len(rows[columns].drop_duplicates())
        raise ValueError(f"need rows of one period and target group, got {count} ({indicator_id})")
    return rows, *(k[0] for k in keys)


def _value_of(records: list, unit_type: str, unit_code: str | None = None) -> float | None:
    """The value of the first row of the unit (type), None when there is none or it is NULL."""
    for r in records:
        if r.unit_type == unit_type and (not unit_code or r.unit_code == unit_code):
            return _num(r.value)
    return None


#: The look, set on every figure instead of a Plotly template (none is applied, so none is
#: copied): white paper and plot, dark axis lines with ticks outside, no zero lines, light grid
#: lines only where a chart turns them on (value axes). The values are those of `simple_white`.
AXIS_STYLE = {"showline": True, "linecolor": "rgb(36,36,36)", "ticks": "outside", "showgrid": False,
              "gridcolor": "rgb(232,232,232)", "zeroline": False, "automargin": True}


def _axis(title: str | None = None, **settings) -> dict:
    """An axis: `AXIS_STYLE` with `settings`, titled (15 px from the tick labels) if `title` is given."""
    axis = {**AXIS_STYLE, **settings}
    if title is not None:
        axis["title"] = {"text": title, "standoff": 15}
    return axis


def _layout(title: str, subtitle: str, width: int, height: int, xaxis: dict, yaxis: dict, **layout) -> dict:
    """The shared layout: fixed size, system fonts, decimal comma, title and subtitle at the left,
    legend below the plot. `template: {}` keeps Plotly's default template off also when the dict
    passes through `go.Figure` (e.g. `pio.to_html` with validation). Empty lists (no shapes or
    annotations) are left out, as Plotly does."""
    return {
        "template": {}, "width": width, "height": height, "separators": ", ", "autotypenumbers": "strict",
        "paper_bgcolor": "white", "plot_bgcolor": "white", "hovermode": "closest",
        "font": {"family": FONT, "size": 12, "color": "#222222"},
        "hoverlabel": {"align": "left", "font": {"family": FONT}},
        "title": {"text": title, "subtitle": {"text": subtitle}, "x": 0.01, "xanchor": "left"},
        "legend": {"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom", "x": 0.01,
                   "xanchor": "left"},
        "margin": {"l": 20, "r": 30, "t": 90, "b": 100},
        "xaxis": xaxis, "yaxis": yaxis, **{key: value for key, value in layout.items() if value != []},
    }


def _vline(x: float, **line) -> dict:
    """A vertical line across the plot at data x (as `Figure.add_vline`)."""
    return {"type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1, "line": line}


def _value_axis(values, unit: str) -> dict:
    """Value axis titled by unit, spanning the values with a margin, within 0–100 % or 1–4."""
    values = [v for v in map(_num, values) if v is not None]
    low, high = (min(values), max(values)) if values else ((0, 100) if unit == PERCENT else (1, 4))
    pad, (floor, ceiling) = max((high - low) * 0.06, 1 if unit == PERCENT else 0.05), (
        (0, 100) if unit == PERCENT else (1, 4))
    return _axis(CHART_LABELS["axis_percent" if unit == PERCENT else "axis_mean"], showgrid=True,
                 range=[max(floor, low - pad), min(ceiling, high + pad)])


def _minus(a, b) -> float | None:
    a, b = _num(a), _num(b)
    return None if a is None or b is None else a - b


# --- the charts ------------------------------------------------------------------------------


#: above this many municipalities the ranked chart draws places, not one labelled row each
RANKED_LABELLED_AT_MOST = 40


def ranked_chart(data: pd.DataFrame, indicator_id: str, own_unit: str | None = None,
                 county_code: str | None = None, peer_group: str | None = None,
                 peer_members: frozenset[str] | set[str] = frozenset()) -> dict:
    """Municipalities ranked by value, best first: dots with 95 % interval error bars.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, ci95_low, ci95_high, suppression, significance. Reference lines: the country
    (`riket` row), the county (`lan` row `00`+`county_code`, default the own municipality's) and
    the peer group (`grupp` row `peer_group`), when published. The own municipality is its own
    trace (orange diamond), the other members of its county and of `peer_members` (its
    kommungrupp) traces of their own. Up to `RANKED_LABELLED_AT_MOST` municipalities: one
    labelled row each, suppressed ones last with `..`. More (the whole country): places on the
    horizontal axis and values upwards, every municipality a small dot, the own municipality,
    its county and its group in colour and named in the hover; the own one is labelled.
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    rows, period, period_type, target_group = _scope(data, indicator_id)
    records = _records(rows)
    kommun = [(unit_name("kommun", r.unit_code), r) for r in records if r.unit_type == "kommun"]
    if not kommun:
        raise ValueError(f"no municipal rows for {indicator_id}")
    shown = sorted(((n, r) for n, r in kommun if _num(r.value) is not None),
                   key=lambda item: (item[1].value, item[0]), reverse=indicator.polarity != LOWER)
    hidden = sorted(n for n, r in kommun if _num(r.value) is None)
    own_name = unit_name("kommun", own_unit) if own_unit else None
    county_code = county_code or (municipalities()[own_unit].county_code if own_unit else None)
    many = len(kommun) > RANKED_LABELLED_AT_MOST
    place = {r.unit_code: i for i, (_, r) in enumerate(shown, start=1)}

    def role(r) -> str:
        if r.unit_code == own_unit:
            return "own"
        if own_unit and county_code and municipalities()[r.unit_code].county_code == county_code:
            return "county"
        return "group" if r.unit_code in peer_members else "others"

    in_county = county_code and {municipalities()[r.unit_code].county_code for _, r in kommun} == {county_code}
    looks = {  # role → (legend name, colour, symbol, size); drawn in this order, the own on top
        "others": (CHART_LABELS["others"], PALETTE["grey"] if own_unit else PALETTE["blue"], "circle", 5 if many else 8),
        "group": (CHART_LABELS["group_members"].format(group=peer_group), PALETTE["sky"], "square", 8),
        "county": (CHART_LABELS["county_members"].format(county=counties()[county_code]) if county_code and
                   not in_county else CHART_LABELS["others"], PALETTE["blue"], "circle", 8),
        "own": (own_name, PALETTE["orange"], "diamond", 13)}
    traces = []
    for key, (label, colour, symbol, size) in looks.items():
        part = [(n, r) for n, r in shown if role(r) == key]
        if not part:
            continue
        hover = [_cell_text(n, r, indicator.unit) + (f"<br>{CHART_LABELS['place']}: {place[r.unit_code]} "
                 f"{CHART_LABELS['of']} {len(shown)}" if many else "") + (f"<br>{CHART_LABELS['vs_country']}: "
                 f"{SIGNIFICANCE_LABELS[r.significance].lower()}" if isinstance(r.significance, str) else "")
                 for n, r in part]
        positions, values = [place[r.unit_code] for _, r in part], [r.value for _, r in part]
        bars = {"type": "data", "symmetric": False, "color": colour, "thickness": 1 if many else 1.5,
                "width": 0 if many else 3, "array": [_minus(r.ci95_high, r.value) for _, r in part],
                "arrayminus": [_minus(r.value, r.ci95_low) for _, r in part]}
        traces.append({
            "type": "scatter", "mode": "markers", "name": label, **_hover(hover),
            "x": positions if many else values, "y": values if many else [n for n, _ in part],
            "marker": {"color": colour, "symbol": symbol, "size": size,
                       "line": {"color": PALETTE["black"], "width": 0.5 if many and key == "others" else 1}},
            ("error_y" if many else "error_x"): bars})
    benchmarks = [(COUNTRY_NAME, _value_of(records, "riket"), "solid")] + (
        [(counties()[county_code], _value_of(records, "lan", "00" + county_code), "dash")] if county_code else []) + (
        [(peer_group, _value_of(records, "grupp", peer_group), "dot")] if peer_group else [])
    benchmarks = [b for b in benchmarks if b[1] is not None]
    shapes, annotations = [], []
    for name, value, dash in benchmarks:  # the higher label beside the end of its line, the others before
        line = {"color": PALETTE["black"], "width": 1.5, "dash": dash}
        if many:
            shapes.append({"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": value,
                           "y1": value, "line": line})
            annotations.append({"x": 1, "xref": "x domain", "y": value, "xanchor": "right", "showarrow": False,
                                "yanchor": "bottom" if value >= max(v for _, v, _ in benchmarks) else "top",
                                "text": f" {name} {swedish.number(value, indicator.unit)} "})
        else:
            shapes.append(_vline(value, **line))
            annotations.append({"x": value, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                "xanchor": "left" if value >= max(v for _, v, _ in benchmarks) else "right",
                                "text": f" {name} {swedish.number(value, indicator.unit)} "})
    scope = CHART_LABELS["county_scope"].format(county=counties()[county_code]) if in_county \
        else CHART_LABELS["all_scope"]
    note = f"<br>{CHART_LABELS['suppressed_note']}" if hidden else ""
    if many:
        note = f"<br>{CHART_LABELS['hidden_count'].format(count=len(hidden))}" if hidden else ""
    subtitle = f"{swedish.period(period, period_type)} · {TARGET_GROUP_LABELS[target_group]} · {scope}{note}"
    values = [v for _, r in shown for v in (r.ci95_low, r.ci95_high)] + [r.value for _, r in shown]
    value_axis = _value_axis(values + [v for _, v, _ in benchmarks], indicator.unit)
    if many:
        own = next(((n, r) for n, r in shown if r.unit_code == own_unit), None)
        if own:
            annotations.append({"x": place[own_unit], "y": own[1].value, "text": f"<b>{own[0]}</b>",
                                "showarrow": True, "arrowhead": 0, "ax": 0, "ay": -40})
        elif own_name:
            annotations.append({"x": 0.5, "xref": "paper", "y": 0, "yref": "paper", "showarrow": False,
                                "yanchor": "bottom", "text": f"{own_name}: {SUPPRESSED_MARK}"})
        layout = _layout(indicator.name_sv, subtitle, 820, 520,
                         xaxis=_axis(CHART_LABELS["place_axis"], range=[0, len(shown) + 1]), yaxis=value_axis,
                         showlegend=True, margin={"l": 20, "r": 30, "t": 110, "b": 110}, shapes=shapes,
                         annotations=annotations)
        return {"data": traces, "layout": layout}
    order = [*(n for n, _ in shown), *hidden]
    annotations += [{"x": 0, "y": name, "xref": "paper", "xanchor": "left", "showarrow": False,
                     "text": SUPPRESSED_MARK} for name in hidden]
    layout = _layout(
        indicator.name_sv, subtitle, 820, 200 + 24 * len(order), xaxis=value_axis,
        yaxis=_axis(type="category", categoryorder="array", categoryarray=order, tickvals=order,
                    ticktext=[f"<b>{n}</b>" if n == own_name else n for n in order],
                    range=[len(order) - 0.5, -0.5]),
        showlegend=True, margin={"l": 20, "r": 30, "t": 110, "b": 100}, shapes=shapes, annotations=annotations)
    return {"data": traces, "layout": layout}


def funnel_points(label: str, polarity: str | None, x: list, y: list, hover: list[str]) -> dict:
    """The markers of the points with one funnel label (FUNNEL_ORDER): high and low in the
    significance hues read through the polarity (better blue, worse purple; without a polarity,
    high and low are not judged), filled beyond the 99.8 % limit, open beyond the 95 % one."""
    better, worse = SIGNIFICANCE_STYLE[SIGNIFICANCE.BETTER][0], SIGNIFICANCE_STYLE[SIGNIFICANCE.WORSE][0]
    high, low = {None: (PALETTE["sky"], PALETTE["orange"]), LOWER: (worse, better)}.get(polarity, (better, worse))
    colour, symbol = {"High (0.001)": (high, "triangle-up"), "High (0.025)": (high, "triangle-up-open"),
                      "Not significant": (PALETTE["grey"], "circle"),
                      "Low (0.025)": (low, "triangle-down-open"), "Low (0.001)": (low, "triangle-down")}[label]
    return {"type": "scatter", "x": x, "y": y, "mode": "markers", "name": FUNNEL_LABELS[label], **_hover(hover),
            "marker": {"color": colour, "symbol": symbol, "size": 10, "line": {
                "color": colour if "open" in symbol else PALETTE["black"], "width": 2 if "open" in symbol else 1}}}


def county_ring(county_code: str, x: list, y: list) -> dict:
    """A ring around the county's own municipalities in a funnel (a trace named after the county)."""
    return {"type": "scatter", "x": x, "y": y, "mode": "markers", "hoverinfo": "skip",
            "name": CHART_LABELS["county_members"].format(county=counties()[county_code]),
            "marker": {"symbol": "circle-open", "size": 17, "color": PALETTE["orange"], "line": {"width": 2}}}


def funnel_chart(data: pd.DataFrame, indicator_id: str, own_unit: str | None = None,
                 overdispersed: bool = False, county_code: str | None = None) -> dict:
    """Value against n with 95 % and 99.8 % funnel limits around the country value.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, numerator,
    denominator, value, ci95_low, ci95_high, suppression, funnel. Limits:
    `statistics.funnel_limits_proportion` on a grid of n. Points are coloured and shaped by the
    stored funnel label (high = green if higher is better, vermillion if lower is; blue/purple
    without polarity). `overdispersed=True` adds limits widened for over-dispersion
    (`funnel_limits_overdispersed` from the published municipal cells); the point labels stay
    the plain PHE ones. `county_code`: the county's own municipalities get a ring of their own
    (a trace named after the county) and their names in the hover. Percent indicators only: a
    mean raises ValueError.
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    if indicator.unit != PERCENT:
        raise ValueError(f"funnel charts are for percent indicators; {indicator_id} is a {indicator.unit}")
    rows, period, period_type, target_group = _scope(data, indicator_id)
    records = _records(rows)
    country = _value_of(records, "riket")
    points = [r for r in records if r.unit_type == "kommun" and _num(r.value) is not None]
    if country is None or not points:
        raise ValueError(f"no published country value or municipality for {indicator_id}")
    n = np.array([float(r.denominator) for r in points])
    grid = np.unique(np.round(np.geomspace(max(1.0, n.min() / 1.5), n.max() * 1.1, 120)))
    traces = [{"type": "scatter", "x": [float(grid[0]), float(grid[-1])], "y": [country, country],
               "mode": "lines", "hoverinfo": "skip", "name": f"{COUNTRY_NAME} {swedish.number(country)}",
               "line": {"color": PALETTE["black"], "width": 2.5}}]
    limit_sets = [("", funnel_limits_proportion(country / 100, grid), PALETTE["dark"], ("dot", "solid"))]
    if overdispersed:
        limit_sets.append((f", {CHART_LABELS['overdispersed']}", funnel_limits_overdispersed(
            np.array([float(r.numerator) for r in points]), n, country / 100, at=grid), PALETTE["sky"],
            ("dashdot", "dash")))
    x = grid.tolist()
    for suffix, limits, colour, dashes in limit_sets:
        for key, dash in zip(("95", "998"), dashes):
            for side in ("lower", "upper"):
                traces.append({
                    "type": "scatter", "x": x, "y": [_num(v) for v in limits[f"{side}_{key}"].tolist()],
                    "mode": "lines", "hoverinfo": "skip", "name": CHART_LABELS[f"limit_{key}"] + suffix,
                    "legendgroup": key + suffix, "showlegend": side == "upper",
                    "line": {"color": colour, "width": 1.5, "dash": dash}})
    for label in FUNNEL_ORDER:
        part = [r for r in points if r.funnel == label]
        if part:
            traces.append(funnel_points(label, indicator.polarity, [float(r.denominator) for r in part],
                                        [r.value for r in part],
                                        [_cell_text(unit_name("kommun", r.unit_code), r, PERCENT) for r in part]))
    annotations = []
    members = [r for r in points if county_code and municipalities()[r.unit_code].county_code == county_code]
    if members:
        traces.append(county_ring(county_code, [float(r.denominator) for r in members], [r.value for r in members]))
    own = next((r for r in points if r.unit_code == own_unit), None)
    if own is not None:
        name, x, y = unit_name("kommun", own_unit), float(own.denominator), float(own.value)
        traces.append({"type": "scatter", "x": [x], "y": [y], "mode": "markers", "name": name, "hoverinfo": "skip",
                       "marker": {"symbol": "circle-open", "size": 20, "color": PALETTE["orange"],
                                  "line": {"width": 3}}})
        annotations.append({"x": x, "y": y, "text": f"<b>{name}</b>", "ax": 30, "ay": -30, "arrowhead": 0,
                            "arrowwidth": 1, "arrowcolor": PALETTE["dark"]})
    layout = _layout(indicator.name_sv, f"{swedish.period(period, period_type)} · {TARGET_GROUP_LABELS[target_group]}",
                     820, 560, xaxis=_axis(CHART_LABELS["axis_n"], rangemode="tozero", showgrid=True),
                     yaxis=_axis(CHART_LABELS["axis_percent"], range=[0, 100], showgrid=True), annotations=annotations)
    return {"data": traces, "layout": layout}


def trend_chart(data: pd.DataFrame, unit_code: str, indicator_id: str) -> dict:
    """A municipality's value per period (x: period labels such as 2025Q3) with its 95 % interval
    as a band, the country, and its peer group (`grupp` rows, if any) or else its county.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, ci95_low, ci95_high, suppression. Suppressed periods are gaps marked `..` at
    the foot of the chart; periods without a row are gaps.
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    records = _records(data[data.indicator_id == indicator_id])
    if len({(r.period_type, r.target_group) for r in records}) != 1:
        raise ValueError("need rows of one period type and target group")
    period_type, target_group = records[0].period_type, records[0].target_group
    periods = sorted(dict.fromkeys(r.period for r in records),
                     key=lambda p: quarter_index(p) if "Q" in p else int(p) * 4)

    def by_period(unit_type: str, code: str) -> list:  # the unit's row of each period, _NO_CELL if none
        cells = {r.period: r for r in records if r.unit_type == unit_type and r.unit_code == code}
        return [cells.get(p, _NO_CELL) for p in periods]

    own = by_period("kommun", unit_code)
    if all(not isinstance(r.suppression, str) and _num(r.value) is None for r in own):
        raise ValueError(f"no rows for {unit_code} and {indicator_id}")
    compare = next((r for r in records if r.unit_type == "grupp"), None) or next(
        (r for r in records if r.unit_type == "lan" and r.unit_code == "00" + municipalities()[unit_code].county_code),
        None)
    name = unit_name("kommun", unit_code)
    band_x, band_y, run = [], [], []  # one closed polygon per run of published periods
    for period, low, high in [*((p, r.ci95_low, r.ci95_high) for p, r in zip(periods, own)), (None, None, None)]:
        if _num(low) is not None:
            run.append((period, low, high))
        elif run:
            band_x += [p for p, _, _ in run] + [p for p, _, _ in run[::-1]] + [None]
            band_y += [h for _, _, h in run] + [lo for _, lo, _ in run[::-1]] + [None]
            run = []
    traces = [{"type": "scatter", "x": band_x, "y": band_y, "fill": "toself", "mode": "lines", "hoverinfo": "skip",
               "line": {"width": 0}, "fillcolor": "rgba(0,114,178,0.18)", "name": f"{name}: {CHART_LABELS['ci']}"}]
    series = [(name, own, PALETTE["blue"], "solid", "circle", 3),
              (COUNTRY_NAME, by_period("riket", "0000"), PALETTE["black"], "dash", "square", 2)]
    if compare is not None:
        series.append((unit_name(compare.unit_type, compare.unit_code), by_period(compare.unit_type, compare.unit_code),
                       PALETTE["orange"], "dot", "triangle-up", 2))
    for label, part, colour, dash, symbol, width in series:
        hover = [f"{swedish.period(p, period_type)}<br>" + _cell_text(label, r, indicator.unit)
                 for p, r in zip(periods, part)]
        traces.append({"type": "scatter", "x": periods, "y": [_num(r.value) for r in part], "mode": "lines+markers",
                       "name": label, "connectgaps": False, **_hover(hover),
                       "line": {"color": colour, "dash": dash, "width": width},
                       "marker": {"symbol": symbol, "size": 7}})
    annotations = [{"x": period, "y": 0, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                    "text": f"<b>{SUPPRESSED_MARK}</b>", "font": {"size": 16, "color": PALETTE["blue"]}}
                   for period, r in zip(periods, own) if isinstance(r.suppression, str)]
    subtitle = PERIOD_TYPE_LABELS[period_type] + (f", {CHART_LABELS['rolling_points']}"
                                                  if period_type == "rolling4q" else "")
    values = [r.value for _, part, *_ in series for r in part] + [v for r in own for v in (r.ci95_low, r.ci95_high)]
    layout = _layout(f"{indicator.name_sv} – {name}", f"{subtitle} · {TARGET_GROUP_LABELS[target_group]}", 820, 460,
                     xaxis=_axis(CHART_LABELS["axis_period"] if period_type == "rolling4q" else "", type="category",
                                 categoryorder="array", categoryarray=periods),
                     yaxis=_value_axis(values, indicator.unit), annotations=annotations)
    return {"data": traces, "layout": layout}


def spine_chart(data: pd.DataFrame, unit_code: str, indicator_ids: list[str] | None = None) -> dict:
    """Area profile (Fingertips spine chart) of one municipality, one row per indicator.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, suppression, significance. Default rows: the catalogue's indicators with a
    polarity, in catalogue order, that have rows. Each row is scaled so the country is the centre
    and the municipal value furthest from it reaches an edge, better to the right: light bar =
    lowest–highest municipal value, dark bar = 25th–75th percentile, marker = the municipality,
    coloured and shaped by its significance against the country. Text columns: n, value, country
    (`..` when suppressed).
    """
    rows, period, period_type, target_group = _scope(data)
    present = set(rows.indicator_id.unique())
    ids = indicator_ids or [i.id for i in INDICATORS if i.polarity and i.id in present]
    name = unit_name("kommun", unit_code)
    unit_types, codes = rows.unit_type.to_numpy(), rows.unit_code.to_numpy()
    # the municipal values of each indicator (NULLs dropped), the own row and the country value
    is_kommun = unit_types == "kommun"
    values = rows.value.to_numpy(dtype=float, na_value=np.nan)[is_kommun]
    keys = rows.indicator_id.to_numpy()[is_kommun]
    keys, values = keys[~np.isnan(values)], values[~np.isnan(values)]
    group, uniques = pd.factorize(keys)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(len(uniques) + 1))
    municipal = {key: values[order[starts[k]:starts[k + 1]]] for k, key in enumerate(uniques)}
    own_rows, country_values = {}, {}
    for r in _records(rows[is_kommun & (codes == unit_code)]):
        own_rows.setdefault(r.indicator_id, r)
    for r in _records(rows[unit_types == "riket"]):
        country_values.setdefault(r.indicator_id, _num(r.value))
    lines = []  # (indicator, own row or None, country value, [min, p25, p75, max] or None, scale)
    for indicator_id in ids:
        indicator, values = INDICATOR_BY_ID[indicator_id], municipal.get(indicator_id, np.empty(0))
        country = country_values.get(indicator_id)
        stats = np.percentile(values, [0, 25, 75, 100]).tolist() if values.size else None
        centre = country if country is not None else float(np.median(values)) if values.size else 0.0
        reach = max([abs(v - centre) for v in stats or []] + [1e-9])
        sign = -1.0 if indicator.polarity == LOWER else 1.0
        lines.append((indicator, own_rows.get(indicator_id), country, stats,
                      lambda v, c=centre, r=reach, s=sign: 0.5 + s * (v - c) / (2 * r)))
    labels = [ind.name_sv for ind, *_ in lines]
    traces = []
    for key, (first, last), colour in (("range", (0, 3), "#D0D0D0"), ("iqr", (1, 2), "#8C8C8C")):
        bars = [(ind, *sorted((scale(stats[first]), scale(stats[last]))), stats)
                for ind, _, _, stats, scale in lines if stats is not None]
        traces.append({
            "type": "bar", "x": [b - a for _, a, b, _ in bars], "y": [ind.name_sv for ind, *_ in bars],
            "base": [a for _, a, _, _ in bars], "orientation": "h", "name": CHART_LABELS[key], "width": 0.6,
            "marker": {"color": colour, "line": {"width": 0}},
            **_hover([f"{ind.name_sv}<br>{CHART_LABELS['spread']}: " + ", ".join(
                f"{CHART_LABELS[k]} {swedish.number(v, ind.unit)}" for k, v in zip(("min", "p25", "p75", "max"), stats))
                for ind, _, _, stats in bars])})
    for significance, (colour, symbol) in SIGNIFICANCE_STYLE.items():
        part = [(ind, own, country, scale) for ind, own, country, _, scale in lines
                if own is not None and _num(own.value) is not None and own.significance == significance]
        if part:
            traces.append({
                "type": "scatter", "x": [scale(own.value) for _, own, _, scale in part],
                "y": [ind.name_sv for ind, *_ in part], "mode": "markers", "name": SIGNIFICANCE_LABELS[significance],
                **_hover([f"{ind.name_sv}<br>{_cell_text(name, own, ind.unit)}<br>{COUNTRY_NAME}: "
                          f"{swedish.number(country, ind.unit)}<br>{SIGNIFICANCE_LABELS[significance]}"
                          for ind, own, country, _ in part]),
                "marker": {"color": colour, "symbol": symbol, "size": 12,
                           "line": {"color": PALETTE["black"], "width": 1}}})
    columns = ((-0.5, lambda ind, own, country: swedish.count(None if own is None else own.denominator)),
               (-0.32, lambda ind, own, country: swedish.number(None if own is None else own.value, ind.unit)),
               (-0.12, lambda ind, own, country: swedish.number(country, ind.unit)))
    for x, text in columns:
        traces.append({"type": "scatter", "x": [x] * len(lines), "y": labels, "mode": "text", "showlegend": False,
                       "hoverinfo": "skip", "text": [text(ind, own, country) for ind, own, country, *_ in lines]})
    annotations = [{"x": x, "y": 1, "yref": "paper", "yanchor": "bottom", "xanchor": anchor, "showarrow": False,
                    "text": f"<b>{header}</b>"}
                   for x, header, anchor in ((-0.5, CHART_LABELS["n"], "center"), (-0.32, name, "center"),
                                             (-0.12, COUNTRY_NAME, "center"), (0, CHART_LABELS["worst"], "left"),
                                             (0.5, COUNTRY_NAME, "center"), (1, CHART_LABELS["best"], "right"))]
    layout = _layout(f"{name}: {TARGET_GROUP_LABELS[target_group]}", f"{swedish.period(period, period_type)} · "
                     f"{CHART_LABELS['suppressed_note']}", 1100, 190 + 26 * len(lines),
                     xaxis=_axis(range=[-0.6, 1.02], visible=False),
                     yaxis=_axis(type="category", categoryorder="array", categoryarray=labels,
                                 range=[len(labels) - 0.5, -0.5], ticks="", showline=False),
                     barmode="overlay", margin={"l": 20, "r": 30, "t": 110, "b": 100},
                     shapes=[_vline(0.5, color=PALETTE["black"], width=2)], annotations=annotations)
    return {"data": traces, "layout": layout}


def tartan_chart(data: pd.DataFrame, county_code: str | None = None,
                 indicator_ids: list[str] | None = None) -> dict:
    """Tartan rug: indicators (rows) × the country, the county (when `county_code`) and the
    municipalities of the data in code order (columns), cells in Öppna jämförelser colours.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, ci95_low, ci95_high, suppression, colour. Cell text: the value, ▲ best quartile,
    ▼ worst; `..` suppressed; `–` no row. Benchmark columns are white. The heatmap's `customdata`
    holds each cell's colour word (`benchmark` for the benchmark columns); z is `TARTAN_CODES`.
    """
    rows, period, period_type, target_group = _scope(data)
    is_kommun = rows.unit_type == "kommun"
    columns = [("riket", "0000")] + ([("lan", "00" + county_code)] if county_code else []) + [
        ("kommun", c) for c in sorted(rows.unit_code[is_kommun].unique())]
    present = set(rows.indicator_id.unique())
    ids = indicator_ids or [i.id for i in INDICATORS if i.id in present]
    drawn = is_kommun | (rows.unit_type == "riket") & (rows.unit_code == "0000")  # the rows of the columns
    if county_code:
        drawn |= (rows.unit_type == "lan") & (rows.unit_code == "00" + county_code)
    cells = {(r.unit_type, r.unit_code, r.indicator_id): r for r in _records(rows[drawn & rows.indicator_id.isin(ids)])}
    names = [unit_name(unit_type, code) for unit_type, code in columns]
    words, text, hover = [], [], []
    for indicator_id in ids:
        indicator = INDICATOR_BY_ID[indicator_id]
        words.append([]), text.append([]), hover.append([])
        for (unit_type, code), label in zip(columns, names):
            row = cells.get((unit_type, code, indicator_id))
            word = "benchmark" if unit_type != "kommun" else COLOUR.GREY if row is None else row.colour
            if row is None:
                cell, tip = CHART_LABELS["no_data"], f"{label}: {CHART_LABELS['no_data_hover']}"
            else:
                shown = _num(row.value) is not None
                cell = swedish.number(row.value, indicator.unit, False) + (OJ_MARKS.get(word, "") if shown else "")
                tip = _cell_text(label, row, indicator.unit) + (f"<br>{COLOUR_LABELS[word]}" if shown and
                                                                 word in COLOUR_LABELS else "")
            words[-1].append(word), text[-1].append(cell), hover[-1].append(f"{indicator.name_sv}<br>{tip}")
    steps = [*OJ_COLOURS.values(), "#FFFFFF"]
    scale = [[min(1.0, max(0.0, (k + edge) / 4)), colour] for k, colour in enumerate(steps) for edge in (-0.5, 0.5)]
    traces = [{
        "type": "heatmap", "z": [[TARTAN_CODES[w] for w in line] for line in words], "text": text,
        "texttemplate": "%{text}",
        "x": [f"<b>{n}</b>" if t != "kommun" else n for (t, _), n in zip(columns, names)],
        "y": [INDICATOR_BY_ID[i].name_sv for i in ids], "customdata": words, **_hover(hover), "colorscale": scale,
        "zmin": 0, "zmax": 4, "showscale": False, "xgap": 2, "ygap": 2, "textfont": {"size": 10, "color": "#000000"}}]
    for word, colour in OJ_COLOURS.items():  # legend entries for the colours (no data)
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                       "name": f"{COLOUR_LABELS[word]}{OJ_MARKS[word]}", "hoverinfo": "skip",
                       "marker": {"symbol": "square", "size": 12, "color": colour}})
    scope = CHART_LABELS["county_scope"].format(county=counties()[county_code]) if county_code \
        else CHART_LABELS["all_scope"]
    layout = _layout(CHART_LABELS["tartan_title"].format(group=TARGET_GROUP_LABELS[target_group]),
                     f"{swedish.period(period, period_type)} · {scope} · {CHART_LABELS['suppressed_note']}",
                     330 + 58 * len(columns), 290 + 22 * len(ids),
                     xaxis=_axis(side="top", tickangle=-45, showline=False, ticks=""),
                     yaxis=_axis(autorange="reversed", showline=False, ticks=""),
                     margin={"l": 20, "r": 20, "t": 230, "b": 60})
    return {"data": traces, "layout": layout}


# --- image export ----------------------------------------------------------------------------


def image_jobs(figures: dict[str, dict], folder, formats=("png", "svg")) -> list[tuple[dict, Path, str]]:
    """(figure dict, `<folder>/<name>.<format>`, format) for `uiv_core.publish.images.write_images`; a
    `go.Figure` also works as a figure."""
    folder = Path(folder)
    jobs = []
    for name, figure in sorted(figures.items()):
        if not name or Path(name).name != name:
            raise ValueError(f"a figure name must be a plain file name, got {name!r}")
        if not isinstance(figure, dict):  # a graph_objects Figure
            figure = figure.to_plotly_json()
        jobs += [(figure, folder / f"{name}.{fmt}", fmt) for fmt in formats]
    return jobs


def write_images(figures: dict[str, dict], folder, formats=("png", "svg")):
    """Write every figure as `<folder>/<name>.<format>` (see `uiv_core.publish.images`: skipped with a
    note when no browser is found); returns the `ImageResult`."""
    from uiv_core.publish.images import write_images as render

    return render(image_jobs(figures, folder, formats))
