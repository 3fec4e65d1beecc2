"""Plotly charts of the published indicators: ranked, funnel, trend, spine (area profile), tartan.

Pure functions: a DataFrame in, a `plotly.graph_objects.Figure` out (no Dagster, no I/O but
`write_images`). The frames come from the published_* tables only (`uiv_core.publication`), so a
suppressed cell arrives with NULL figures and can only be drawn as `..`, never as a number. The
`chart_data_*` loaders run the SQL; every loader returns the *cell columns* `CELL_COLUMNS`:

    unit_type, unit_code, period, period_type, target_group, indicator_id,
    numerator, denominator, value, ci95_low, ci95_high, ci998_low, ci998_high, suppression,
    significance, colour, funnel

(breakdown `alla`; the last three are the cell's `published_comparisons` row against the country,
NULL for county, country and peer-group rows). Each chart names the columns it reads.

Palette (`PALETTE`, Okabe & Ito 2008, distinguishable with all common colour-vision deficiencies):
blue = the municipalities, orange = the own municipality, black = the country. The three Öppna
jämförelser colours and better/similar/worse are Okabe–Ito bluish green #009E73, yellow #F0E442
and vermillion #D55E00 (grey #DDDDDD = no colour): they differ in hue *and* lightness for
deuteranopes and protanopes. Colour is never the only carrier: in the tartan the best quartile
is marked ▲ and the worst ▼ next to the value, in the spine and funnel charts better/worse (high/
low) are up/down triangles, similar a circle, and lines differ by dash. "Better" always gets the
green whichever direction is good (`polarity`). Layout: `simple_white`, system fonts only
("Arial, Helvetica, sans-serif"), fixed sizes, decimal comma (`separators=", "`), no timestamps,
so the same data gives the same `fig.to_json()`.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from uiv_core.quarters import quarter_index, quarter_label
from uiv_core.statistics import funnel_limits_overdispersed, funnel_limits_proportion
from uiv_schema.indicators import INDICATOR_BY_ID, INDICATORS, LOWER, PERCENT
from uiv_schema.labels import (COLOUR_LABELS, COUNTRY_NAME, FUNNEL_LABELS, PERIOD_TYPE_LABELS,
                               SIGNIFICANCE_LABELS, SUPPRESSED_MARK, TARGET_GROUP_LABELS)
from uiv_schema.municipalities import counties, municipalities, unit_name

#: Swedish chart labels not (yet) in uiv_schema.labels
CHART_LABELS: dict[str, str] = {
    "axis_percent": "Andel (%)", "axis_mean": "Medelskattning (1–4)",
    "axis_n": "Antal uppföljningar (nämnare)", "axis_period": "Sista kvartalet i perioden",
    "ci": "95 % KI", "n": "n", "value": "Värde",
    "limit_95": "95 %-gräns", "limit_998": "99,8 %-gräns",
    "overdispersed": "justerad för överspridning",
    "others": "Kommuner", "range": "Kommunernas spridning (lägst–högst)",
    "iqr": "Mellersta hälften av kommunerna", "spread": "Kommunerna",
    "worst": "Sämst / lägst", "best": "Bäst / högst",
    "min": "lägst", "p25": "25:e percentilen", "p75": "75:e percentilen", "max": "högst",
    "vs_country": "Jämfört med riket", "no_data": "–", "no_data_hover": "Inga uppföljningar",
    "rolling_points": "varje punkt = fyra kvartal till och med kvartalet",
    "suppressed_note": ".. = för få uppföljningar för att visas",
    "tartan_title": "Öppna jämförelser: {group}", "county_scope": "Kommuner i {county}", "all_scope": "Alla kommuner",
}

FONT = "Arial, Helvetica, sans-serif"
PALETTE = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
           "grey": "#999999", "light": "#DDDDDD", "dark": "#555555"}
GOOD, MIDDLE, BAD = PALETTE["green"], PALETTE["yellow"], PALETTE["vermillion"]
OJ_COLOURS = {"grön": GOOD, "gul": MIDDLE, "röd": BAD, "grå": PALETTE["light"]}
OJ_MARKS = {"grön": " ▲", "gul": "", "röd": " ▼", "grå": ""}
#: significance against the country: (fill colour, marker symbol)
SIGNIFICANCE_STYLE = {"bättre": (GOOD, "triangle-up"), "likvärdig": (MIDDLE, "circle"),
                      "sämre": (BAD, "triangle-down"), "ej jämförbar": ("#FFFFFF", "diamond")}
FUNNEL_ORDER = ("High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)")
#: tartan cell codes (heatmap z): the ÖJ colours, then a benchmark column (white)
TARTAN_CODES = {"grön": 0, "gul": 1, "röd": 2, "grå": 3, "benchmark": 4}

KEYS = "period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id"
CELL_COLUMNS = ("unit_type", "unit_code", "period", "period_type", "target_group", "indicator_id",
                "numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low",
                "ci998_high", "suppression", "significance", "colour", "funnel")
_CELLS_SQL = f"""
SELECT {", ".join("p." + c if c not in ("significance", "colour", "funnel") else "c." + c
                  for c in CELL_COLUMNS)}
FROM published_indicators p
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c USING ({KEYS})
WHERE p.breakdown = 'alla' AND p.period_type = $period_type AND p.target_group = $target_group
"""


# --- loaders ---------------------------------------------------------------------------------


def _cells(con, where: str, **params) -> pd.DataFrame:
    sql = _CELLS_SQL + where + " ORDER BY p.unit_type, p.unit_code, p.indicator_id, p.period"
    return con.execute(sql, params).fetchdf()


def _in_county(frame: pd.DataFrame, county_code: str | None) -> pd.DataFrame:
    """Municipal rows of one county (all when None); other unit types are kept."""
    if county_code is None:
        return frame.reset_index(drop=True)
    county = frame.unit_code.map(lambda c: getattr(municipalities().get(c), "county_code", None))
    return frame[(frame.unit_type != "kommun") | (county == county_code)].reset_index(drop=True)


def chart_data_ranked(con, indicator_id: str, period: str, target_group: str = "alla",
                      period_type: str = "rolling4q", county_code: str | None = None) -> pd.DataFrame:
    """Cells of one indicator and period: the municipalities (of `county_code`, or all), every
    county and the country. Input of `ranked_chart` and `funnel_chart`."""
    frame = _cells(con, "AND p.indicator_id = $indicator AND p.period = $period",
                   period_type=period_type, target_group=target_group, indicator=indicator_id, period=period)
    return _in_county(frame[frame.unit_type != "grupp"], county_code)


chart_data_funnel = chart_data_ranked


def chart_data_trend(con, unit_code: str, indicator_id: str, target_group: str = "alla",
                     period_type: str = "rolling4q") -> pd.DataFrame:
    """Every period of one indicator for the municipality, its peer group (`peer_groups`), its
    county and the country. Input of `trend_chart`."""
    county = "00" + municipalities()[unit_code].county_code
    return _cells(con, """AND p.indicator_id = $indicator AND (p.unit_code IN ($unit, $county, '0000')
        OR p.unit_type = 'grupp' AND p.unit_code IN (SELECT peer_group FROM peer_groups
                                                     WHERE municipality_code = $unit))""",
                  period_type=period_type, target_group=target_group, indicator=indicator_id,
                  unit=unit_code, county=county)


def chart_data_spine(con, period: str, target_group: str = "alla",
                     period_type: str = "rolling4q") -> pd.DataFrame:
    """Every indicator of one period: all municipalities and the country. Input of `spine_chart`."""
    return _cells(con, "AND p.period = $period AND p.unit_type IN ('kommun', 'riket')",
                  period_type=period_type, target_group=target_group, period=period)


def chart_data_tartan(con, period: str, target_group: str = "alla", period_type: str = "rolling4q",
                      county_code: str | None = None) -> pd.DataFrame:
    """Every indicator of one period: the municipalities (of `county_code`, or all), the counties
    and the country. Input of `tartan_chart`."""
    frame = _cells(con, "AND p.period = $period AND p.unit_type <> 'grupp'",
                   period_type=period_type, target_group=target_group, period=period)
    return _in_county(frame, county_code)


# --- formatting and shared styling -----------------------------------------------------------


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def fmt_value(value, unit: str = PERCENT, sign: bool = True) -> str:
    """72.44 → '72,4 %' (percent) or '2,85' (mean); a missing value → '..'."""
    if _num(value) is None:
        return SUPPRESSED_MARK
    text = f"{value:.{1 if unit == PERCENT else 2}f}".replace(".", ",").replace("-", "−")
    return f"{text} %" if unit == PERCENT and sign else text


def fmt_count(value) -> str:
    return SUPPRESSED_MARK if _num(value) is None else f"{int(value):,}".replace(",", " ")


def _interval(row, unit: str) -> str:
    if _num(row.ci95_low) is None:
        return ""
    return f" ({CHART_LABELS['ci']} {fmt_value(row.ci95_low, unit, False)}–{fmt_value(row.ci95_high, unit)})"


def _cell_text(name: str, row, unit: str) -> str:
    """Hover text of one cell: name, value, interval, n."""
    if _num(row.value) is None:
        return f"{name}: {SUPPRESSED_MARK}"
    return f"{name}: {fmt_value(row.value, unit)}{_interval(row, unit)}<br>n = {fmt_count(row.denominator)}"


def period_text(period: str, period_type: str) -> str:
    """'2026Q3', rolling4q → 'Rullande fyra kvartal 2025Q4–2026Q3'."""
    if period_type == "rolling4q":
        return f"{PERIOD_TYPE_LABELS[period_type]} {quarter_label(quarter_index(period) - 3)}–{period}"
    return f"{PERIOD_TYPE_LABELS[period_type]} {period}"


def _scope(frame: pd.DataFrame, indicator_id: str | None = None) -> tuple[pd.DataFrame, str, str, str]:
    """Rows (of one indicator), checked to be one period and target group."""
    rows = frame if indicator_id is None else frame[frame.indicator_id == indicator_id]
    keys = rows[["period", "period_type", "target_group"]].drop_duplicates()
    if len(keys) != 1:
        raise ValueError(f"need one period and target group, got {len(keys)} (indicator {indicator_id})")
    period, period_type, target_group = keys.iloc[0]
    return rows, period, period_type, target_group


def _value_of(rows: pd.DataFrame, unit_type: str, unit_code: str | None = None):
    match = rows[(rows.unit_type == unit_type) & ((rows.unit_code == unit_code) if unit_code else True)]
    return None if match.empty else _num(match.value.iloc[0])


def _style(fig: go.Figure, title: str, subtitle: str, width: int, height: int, **layout) -> go.Figure:
    fig.update_layout(
        template="simple_white", width=width, height=height, separators=", ",
        font=dict(family=FONT, size=12, color="#222222"), hoverlabel=dict(font_family=FONT),
        title=dict(text=title, subtitle=dict(text=subtitle), x=0.01, xanchor="left"),
        legend=dict(orientation="h", yref="container", y=0.01, yanchor="bottom", x=0.01, xanchor="left"),
        **{"margin": dict(l=20, r=30, t=90, b=100), **layout})
    fig.update_shapes(opacity=1)
    return fig


def _value_range(values, unit: str) -> list[float]:
    values = [v for v in values if _num(v) is not None]
    low, high = (min(values), max(values)) if values else ((0, 100) if unit == PERCENT else (1, 4))
    pad = max((high - low) * 0.06, 1.0 if unit == PERCENT else 0.05)
    bounds = (0.0, 100.0) if unit == PERCENT else (1.0, 4.0)
    return [max(bounds[0], low - pad), min(bounds[1], high + pad)]


def _axis_title(unit: str) -> str:
    return CHART_LABELS["axis_percent" if unit == PERCENT else "axis_mean"]


# --- the charts ------------------------------------------------------------------------------


def ranked_chart(data: pd.DataFrame, indicator_id: str, own_unit: str | None = None,
                 county_code: str | None = None) -> go.Figure:
    """Municipalities ranked by value (best at the top), dots with 95 % interval error bars.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, ci95_low, ci95_high, significance. Vertical lines: the country (`riket` row) and
    the county (`lan` row `00`+`county_code`, default the own municipality's county); drawn only
    when published. Suppressed municipalities are listed last with `..` at the axis; they are in
    no trace. Municipalities without a row (no follow-ups) are not listed.
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    rows, period, period_type, target_group = _scope(data, indicator_id)
    kommun = rows[rows.unit_type == "kommun"].assign(name=lambda f: f.unit_code.map(lambda c: unit_name("kommun", c)))
    if kommun.empty:
        raise ValueError(f"no municipal rows for {indicator_id}")
    shown = kommun[kommun.value.notna()].sort_values(["value", "name"])
    if indicator.polarity != LOWER:
        shown = shown.iloc[::-1]
    hidden = kommun[kommun.value.isna()].sort_values("name")
    order = list(shown.name) + list(hidden.name)
    county_code = county_code or (municipalities()[own_unit].county_code if own_unit else None)
    fig = go.Figure()
    for label, part, colour, symbol, size in (
            (CHART_LABELS["others"], shown[shown.unit_code != own_unit], PALETTE["blue"], "circle", 8),
            (unit_name("kommun", own_unit) if own_unit else "", shown[shown.unit_code == own_unit],
             PALETTE["orange"], "diamond", 13)):
        if part.empty:
            continue
        hover = [_cell_text(r.name, r, indicator.unit) + (f"<br>{CHART_LABELS['vs_country']}: "
                 f"{SIGNIFICANCE_LABELS[r.significance]}" if isinstance(r.significance, str) else "")
                 for r in part.itertuples()]
        fig.add_trace(go.Scatter(
            x=part.value.tolist(), y=part.name.tolist(), mode="markers", name=label, hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=colour, symbol=symbol, size=size, line=dict(color=PALETTE["black"], width=1)),
            error_x=dict(type="data", symmetric=False, color=colour, thickness=1.5, width=3,
                         array=(part.ci95_high - part.value).tolist(),
                         arrayminus=(part.value - part.ci95_low).tolist())))
    benchmarks = [(COUNTRY_NAME, _value_of(rows, "riket"), "solid")]
    if county_code:
        benchmarks.append((counties()[county_code], _value_of(rows, "lan", "00" + county_code), "dash"))
    benchmarks = [b for b in benchmarks if b[1] is not None]
    for name, value, dash in benchmarks:
        right = value >= max(v for _, v, _ in benchmarks)
        fig.add_vline(x=value, line=dict(color=PALETTE["black"], width=1.5, dash=dash))
        fig.add_annotation(x=value, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           xanchor="left" if right else "right",
                           text=f" {name} {fmt_value(value, indicator.unit)} ")
    for name in hidden.name:
        fig.add_annotation(x=0, y=name, xref="paper", yref="y", xanchor="left", showarrow=False,
                           text=SUPPRESSED_MARK, font=dict(color=PALETTE["dark"]))
    ticks = [f"<b>{n}</b>" if own_unit and n == unit_name("kommun", own_unit) else n for n in order]
    scope = (CHART_LABELS["county_scope"].format(county=counties()[county_code])
             if county_code and set(kommun.unit_code.str[:2]) == {county_code} else CHART_LABELS["all_scope"])
    note = f"<br>{CHART_LABELS['suppressed_note']}" if not hidden.empty else ""
    _style(fig, indicator.name_sv, f"{period_text(period, period_type)} · "
           f"{TARGET_GROUP_LABELS[target_group]} · {scope}{note}", 820, 200 + 24 * len(order),
           showlegend=True, margin=dict(l=20, r=30, t=110, b=100))
    fig.update_xaxes(title=_axis_title(indicator.unit), showgrid=True, range=_value_range(
        [*shown.ci95_low, *shown.ci95_high, *shown.value, *(v for _, v, _ in benchmarks)], indicator.unit))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, tickvals=order,
                     ticktext=ticks, range=[len(order) - 0.5, -0.5])
    return fig


def _funnel_colours(polarity: str | None) -> dict[str, tuple[str, str]]:
    """Funnel label → (colour, symbol): high is good for polarity higher, bad for lower."""
    high, low = {None: (PALETTE["blue"], PALETTE["purple"]), LOWER: (BAD, GOOD)}.get(polarity, (GOOD, BAD))
    return {"High (0.001)": (high, "triangle-up"), "High (0.025)": (high, "triangle-up-open"),
            "Not significant": (PALETTE["grey"], "circle"),
            "Low (0.025)": (low, "triangle-down-open"), "Low (0.001)": (low, "triangle-down")}


def funnel_chart(data: pd.DataFrame, indicator_id: str, own_unit: str | None = None,
                 overdispersed: bool = False) -> go.Figure:
    """Value against n with 95 % and 99.8 % funnel limits around the country value.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, numerator,
    denominator, value, funnel. Limits: `statistics.funnel_limits_proportion` on a grid of n;
    points coloured and shaped by the stored funnel label. `overdispersed=True` adds dashed limits
    widened for over-dispersion (`funnel_limits_overdispersed`, from the published municipal
    cells); the point labels stay the plain PHE ones. Percent indicators only (ValueError).
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    if indicator.unit != PERCENT:
        raise ValueError(f"funnel charts are for percent indicators; {indicator_id} is a {indicator.unit}")
    rows, period, period_type, target_group = _scope(data, indicator_id)
    country = _value_of(rows, "riket")
    points = rows[(rows.unit_type == "kommun") & rows.value.notna()]
    if country is None or points.empty:
        raise ValueError(f"no published country value or municipalities for {indicator_id}")
    top = float(points.denominator.max()) * 1.1
    grid = np.unique(np.round(np.geomspace(max(1.0, float(points.denominator.min()) / 1.5), top, 120)))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[grid[0], grid[-1]], y=[country, country], mode="lines", hoverinfo="skip",
                             name=f"{COUNTRY_NAME} {fmt_value(country)}", line=dict(color=PALETTE["black"], width=2.5)))
    limit_sets = [("", funnel_limits_proportion(country / 100, grid), PALETTE["dark"], ("dot", "solid"))]
    if overdispersed:
        limit_sets.append((f", {CHART_LABELS['overdispersed']}", funnel_limits_overdispersed(
            points.numerator.astype(float), points.denominator.astype(float), country / 100, at=grid),
            PALETTE["sky"], ("dashdot", "dash")))
    for suffix, limits, colour, dashes in limit_sets:
        for key, dash in zip(("95", "998"), dashes):
            for side in ("lower", "upper"):
                fig.add_trace(go.Scatter(
                    x=grid.tolist(), y=limits[f"{side}_{key}"].tolist(), mode="lines", hoverinfo="skip",
                    name=CHART_LABELS[f"limit_{key}"] + suffix, legendgroup=key + suffix,
                    showlegend=side == "upper", line=dict(color=colour, width=1.5, dash=dash)))
    styles = _funnel_colours(indicator.polarity)
    for label in FUNNEL_ORDER:
        part = points[points.funnel == label]
        if part.empty:
            continue
        colour, symbol = styles[label]
        fig.add_trace(go.Scatter(
            x=part.denominator.astype(float).tolist(), y=part.value.tolist(), mode="markers",
            name=FUNNEL_LABELS[label], hovertemplate="%{hovertext}<extra></extra>",
            hovertext=[_cell_text(unit_name("kommun", r.unit_code), r, PERCENT) for r in part.itertuples()],
            marker=dict(color=colour, symbol=symbol, size=10, line=dict(color=colour if "open" in symbol
                                                                        else PALETTE["black"], width=2 if "open" in symbol else 1))))
    own = points[points.unit_code == own_unit]
    if not own.empty:
        name = unit_name("kommun", own_unit)
        fig.add_trace(go.Scatter(x=own.denominator.astype(float).tolist(), y=own.value.tolist(), mode="markers",
                                 name=name, hoverinfo="skip", marker=dict(symbol="circle-open", size=20, color=PALETTE["orange"],
                                                                          line=dict(width=3))))
        fig.add_annotation(x=float(own.denominator.iloc[0]), y=float(own.value.iloc[0]), text=f"<b>{name}</b>",
                           ax=30, ay=-30, arrowcolor=PALETTE["dark"])
    _style(fig, indicator.name_sv, f"{period_text(period, period_type)} · {TARGET_GROUP_LABELS[target_group]}",
           820, 560)
    fig.update_xaxes(title=CHART_LABELS["axis_n"], rangemode="tozero", showgrid=True)
    fig.update_yaxes(title=CHART_LABELS["axis_percent"], range=[0, 100], showgrid=True)
    return fig


def trend_chart(data: pd.DataFrame, unit_code: str, indicator_id: str) -> go.Figure:
    """A municipality's value per period with its 95 % interval as a band, and the country and
    its peer group (the `grupp` rows, if any) or else its county.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, ci95_low, ci95_high. Suppressed or missing periods are gaps (`..` at the foot).
    """
    indicator = INDICATOR_BY_ID[indicator_id]
    rows = data[data.indicator_id == indicator_id]
    if rows[["period_type", "target_group"]].drop_duplicates().shape[0] != 1:
        raise ValueError("need one period type and target group")
    period_type, target_group = rows.period_type.iloc[0], rows.target_group.iloc[0]
    periods = sorted(rows.period.unique(), key=lambda p: quarter_index(p) if "Q" in p else int(p) * 4)
    county = "00" + municipalities()[unit_code].county_code
    compare = rows[rows.unit_type == "grupp"]
    compare = compare if not compare.empty else rows[(rows.unit_type == "lan") & (rows.unit_code == county)]
    own = rows[(rows.unit_type == "kommun") & (rows.unit_code == unit_code)].set_index("period").reindex(periods)
    if own.value.notna().sum() == 0 and own.suppression.isna().all():
        raise ValueError(f"no rows for {unit_code} {indicator_id}")
    name = unit_name("kommun", unit_code)
    fig = go.Figure()
    band_x, band_y, run = [], [], []
    for period, low, high in [*zip(periods, own.ci95_low, own.ci95_high), (None, None, None)]:
        if _num(low) is not None:
            run.append((period, low, high))
        elif run:
            band_x += [p for p, _, _ in run] + [p for p, _, _ in run[::-1]] + [None]
            band_y += [h for _, _, h in run] + [lo for _, lo, _ in run[::-1]] + [None]
            run = []
    fig.add_trace(go.Scatter(x=band_x, y=band_y, fill="toself", mode="lines", hoverinfo="skip",
                             line=dict(width=0), fillcolor="rgba(0,114,178,0.18)",
                             name=f"{name}: {CHART_LABELS['ci']}"))
    series = [(name, own, PALETTE["blue"], "solid", "circle", 3)]
    for label, part, colour, dash, symbol in ((COUNTRY_NAME, rows[rows.unit_type == "riket"], PALETTE["black"],
                                               "dash", "square"),
                                              (unit_name(compare.unit_type.iloc[0], compare.unit_code.iloc[0])
                                               if not compare.empty else "", compare, PALETTE["orange"], "dot",
                                               "triangle-up")):
        if not part.empty:
            series.append((label, part.set_index("period").reindex(periods), colour, dash, symbol, 2))
    for label, part, colour, dash, symbol, width in series:
        hover = [f"{period_text(p, period_type)}<br>" + _cell_text(label, r, indicator.unit)
                 for p, r in zip(periods, part.itertuples())]
        fig.add_trace(go.Scatter(x=periods, y=[_num(v) for v in part.value], mode="lines+markers", name=label,
                                 connectgaps=False, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                                 line=dict(color=colour, dash=dash, width=width), marker=dict(symbol=symbol, size=7)))
    for period, suppression in zip(periods, own.suppression):
        if isinstance(suppression, str):
            fig.add_annotation(x=period, y=0, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                               text=f"<b>{SUPPRESSED_MARK}</b>", font=dict(size=16, color=PALETTE["blue"]))
    values = [v for _, part, *_ in series for v in part.value] + list(own.ci95_low) + list(own.ci95_high)
    subtitle = (f"{PERIOD_TYPE_LABELS[period_type]}, {CHART_LABELS['rolling_points']}" if period_type == "rolling4q"
                else PERIOD_TYPE_LABELS[period_type]) + f" · {TARGET_GROUP_LABELS[target_group]}"
    _style(fig, f"{indicator.name_sv} – {name}", subtitle, 820, 460)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods,
                     title=CHART_LABELS["axis_period"] if period_type != "year" else "")
    fig.update_yaxes(title=_axis_title(indicator.unit), range=_value_range(values, indicator.unit), showgrid=True)
    return fig


def spine_chart(data: pd.DataFrame, unit_code: str, indicator_ids: list[str] | None = None) -> go.Figure:
    """Area profile (Fingertips spine chart) of one municipality: a row per indicator.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, significance. Default rows: the catalogue's indicators with a polarity that
    have data. Each row is scaled so the country is the centre and the municipality furthest
    from it touches an edge, better to the right: light bar = lowest–highest municipal value,
    dark bar = 25th–75th percentile, marker = the municipality coloured and shaped by its
    significance against the country. Value and n are text columns (`..` when suppressed).
    """
    rows, period, period_type, target_group = _scope(data)
    present = set(rows.indicator_id)
    ids = indicator_ids or [i.id for i in INDICATORS if i.polarity and i.id in present]
    name = unit_name("kommun", unit_code)
    lines = []
    for indicator_id in ids:
        indicator = INDICATOR_BY_ID[indicator_id]
        cells = rows[rows.indicator_id == indicator_id]
        values = cells[(cells.unit_type == "kommun")].value.dropna().to_numpy(float)
        own = cells[(cells.unit_type == "kommun") & (cells.unit_code == unit_code)]
        own = own.iloc[0] if not own.empty else None
        country = _value_of(cells, "riket")
        stats = np.percentile(values, [0, 25, 75, 100]) if values.size else None
        centre = country if country is not None else (float(np.median(values)) if values.size else 0.0)
        reach = max([abs(v - centre) for v in (stats if stats is not None else [])] + [1e-9])
        sign = -1.0 if indicator.polarity == LOWER else 1.0
        scale = (lambda v, c=centre, r=reach, s=sign: 0.5 + s * (v - c) / (2 * r))  # noqa: E731
        lines.append((indicator, own, country, stats, scale))
    labels = [ind.name_sv for ind, *_ in lines]
    fig = go.Figure()
    for key, index, colour in (("range", (0, 3), "#D0D0D0"), ("iqr", (1, 2), "#8C8C8C")):
        base, length, label, hover = [], [], [], []
        for ind, own, country, stats, scale in lines:
            if stats is None:
                continue
            a, b = sorted((scale(stats[index[0]]), scale(stats[index[1]])))
            base.append(a)
            length.append(b - a)
            label.append(ind.name_sv)
            hover.append(f"{ind.name_sv}<br>{CHART_LABELS['spread']}: " + ", ".join(
                f"{CHART_LABELS[k]} {fmt_value(v, ind.unit)}" for k, v in zip(("min", "p25", "p75", "max"), stats)))
        fig.add_trace(go.Bar(x=length, y=label, base=base, orientation="h", name=CHART_LABELS[key], width=0.6,
                             marker=dict(color=colour, line=dict(width=0)), hovertext=hover,
                             hovertemplate="%{hovertext}<extra></extra>"))
    for significance, (colour, symbol) in SIGNIFICANCE_STYLE.items():
        part = [(ind, own, country, scale) for ind, own, country, stats, scale in lines
                if own is not None and _num(own.value) is not None and own.significance == significance]
        if not part:
            continue
        fig.add_trace(go.Scatter(
            x=[scale(own.value) for _, own, _, scale in part], y=[ind.name_sv for ind, *_ in part], mode="markers",
            name=SIGNIFICANCE_LABELS[significance], hovertemplate="%{hovertext}<extra></extra>",
            hovertext=[f"{ind.name_sv}<br>{_cell_text(name, own, ind.unit)}<br>{COUNTRY_NAME}: "
                       f"{fmt_value(country, ind.unit)}<br>{SIGNIFICANCE_LABELS[significance]}"
                       for ind, own, country, _ in part],
            marker=dict(color=colour, symbol=symbol, size=12, line=dict(color=PALETTE["black"], width=1))))
    columns = ((-0.5, CHART_LABELS["n"], lambda ind, own, country: fmt_count(None if own is None else own.denominator)),
               (-0.32, name, lambda ind, own, country: fmt_value(None if own is None else own.value, ind.unit)),
               (-0.12, COUNTRY_NAME, lambda ind, own, country: fmt_value(country, ind.unit)))
    for x, header, text in columns:
        fig.add_trace(go.Scatter(x=[x] * len(lines), y=labels, mode="text", showlegend=False, hoverinfo="skip",
                                 text=[text(ind, own, country) for ind, own, country, *_ in lines]))
        fig.add_annotation(x=x, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False, text=f"<b>{header}</b>")
    fig.add_vline(x=0.5, line=dict(color=PALETTE["black"], width=2))
    for x, key, anchor in ((0, "worst", "left"), (1, "best", "right"), (0.5, None, "center")):
        fig.add_annotation(x=x, y=1, xref="x", yref="paper", yanchor="bottom", xanchor=anchor, showarrow=False,
                           text=f"<b>{CHART_LABELS[key] if key else COUNTRY_NAME}</b>")
    height = 190 + 26 * len(lines)
    _style(fig, f"{name}: {TARGET_GROUP_LABELS[target_group]}", f"{period_text(period, period_type)} · "
           f"{CHART_LABELS['suppressed_note']}", 1100, height, barmode="overlay")
    fig.update_xaxes(range=[-0.6, 1.02], visible=False)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, range=[len(labels) - 0.5, -0.5],
                     ticks="", showline=False)
    fig.update_layout(margin=dict(t=110))
    return fig


def tartan_chart(data: pd.DataFrame, county_code: str | None = None,
                 indicator_ids: list[str] | None = None) -> go.Figure:
    """Tartan rug: indicators (rows) × the country, the county (if `county_code`) and the
    municipalities in the data (columns), cells in Öppna jämförelser colours with the value.

    Reads unit_type, unit_code, period, period_type, target_group, indicator_id, value,
    denominator, colour. Best quartile is marked ▲, worst ▼; suppressed `..`; no row `–`;
    benchmark columns are white. `customdata` holds each cell's colour word (or `benchmark`).
    """
    rows, period, period_type, target_group = _scope(data)
    kommun = sorted(rows.loc[rows.unit_type == "kommun", "unit_code"].unique())
    columns = [("riket", "0000")] + ([("lan", "00" + county_code)] if county_code else []) + \
              [("kommun", c) for c in kommun]
    present = set(rows.indicator_id)
    ids = indicator_ids or [i.id for i in INDICATORS if i.id in present]
    cells = {(r.unit_type, r.unit_code, r.indicator_id): r for r in rows.itertuples()}
    z, text, hover, colour_words = [], [], [], []
    for indicator_id in ids:
        unit = INDICATOR_BY_ID[indicator_id].unit
        z.append([]), text.append([]), hover.append([]), colour_words.append([])
        for unit_type, code in columns:
            row = cells.get((unit_type, code, indicator_id))
            word = "benchmark" if unit_type != "kommun" else (row.colour if row is not None else "grå")
            label = unit_name(unit_type, code)
            if row is None:
                cell, tip = CHART_LABELS["no_data"], f"{label}: {CHART_LABELS['no_data_hover']}"
            else:
                cell = fmt_value(row.value, unit, False) + (OJ_MARKS[word] if _num(row.value) is not None
                                                            and word in OJ_MARKS else "")
                tip = _cell_text(label, row, unit) + (f"<br>{COLOUR_LABELS[word]}" if word in COLOUR_LABELS else "")
            z[-1].append(TARTAN_CODES[word]), text[-1].append(cell), colour_words[-1].append(word)
            hover[-1].append(f"{INDICATOR_BY_ID[indicator_id].name_sv}<br>{tip}")
    steps = [*OJ_COLOURS.values(), "#FFFFFF"]
    scale = [[max(0, min(1, (k + e) / 4)), c] for k, c in enumerate(steps) for e in (-0.5, 0.5)]
    x = [f"<b>{unit_name(t, c)}</b>" if t != "kommun" else unit_name(t, c) for t, c in columns]
    y = [INDICATOR_BY_ID[i].name_sv for i in ids]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, text=text, texttemplate="%{text}", customdata=colour_words, hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>", colorscale=scale, zmin=0, zmax=4, showscale=False,
        xgap=2, ygap=2, textfont=dict(size=10, color="#000000")))
    for word, colour in OJ_COLOURS.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{COLOUR_LABELS[word]}{OJ_MARKS[word]}",
                                 marker=dict(symbol="square", size=12, color=colour), hoverinfo="skip"))
    scope = CHART_LABELS["county_scope"].format(county=counties()[county_code]) if county_code \
        else CHART_LABELS["all_scope"]
    width, height = 330 + 58 * len(columns), 290 + 22 * len(ids)
    _style(fig, CHART_LABELS["tartan_title"].format(group=TARGET_GROUP_LABELS[target_group]),
           f"{period_text(period, period_type)} · {scope} · {CHART_LABELS['suppressed_note']}", width, height,
           margin=dict(l=20, r=20, t=230, b=60))
    fig.update_xaxes(side="top", tickangle=-45, showline=False, ticks="")
    fig.update_yaxes(autorange="reversed", showline=False, ticks="")
    return fig


# --- image export ----------------------------------------------------------------------------


def write_images(figures: dict[str, go.Figure], folder, formats=("png", "svg"), scale: float = 1) -> list[Path]:
    """Write every figure as `<folder>/<name>.<format>` in one Kaleido session (Plotly's batch
    `plotly.io.write_images`), at each figure's own width and height; returns the paths written.

    plotly.js comes from the installed plotly package and MathJax is off: nothing is fetched from
    a CDN. Plotly forwards only a truthy `mathjax`, so the Kaleido sync server is started here
    with `mathjax=False` (and stopped after) unless one is already running. Chromium is found
    through `BROWSER_PATH`, set to /usr/bin/chromium when unset.
    """
    import kaleido

    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name, figure in sorted(figures.items()):
        if not name or Path(name).name != name:
            raise ValueError(f"figure name must be a plain file name, got {name!r}")
        jobs += [(figure, folder / f"{name}.{fmt}", fmt) for fmt in formats]
    if not jobs:
        return []
    running = getattr(kaleido, "_global_server", None)
    start = running is None or not running.is_running()
    if start:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        with warnings.catch_warnings():  # plotly passes kopts (headers) the running server ignores
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            pio.write_images(fig=[f for f, _, _ in jobs], file=[p for _, p, _ in jobs],
                             format=[fmt for _, _, fmt in jobs], scale=scale,
                             width=[f.layout.width or 800 for f, _, _ in jobs],
                             height=[f.layout.height or 500 for f, _, _ in jobs])
    finally:
        if start:
            kaleido.stop_sync_server(silence_warnings=True)
    return [p for _, p, _ in jobs]
