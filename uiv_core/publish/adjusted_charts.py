"""The county page's funnel of the case-mix adjusted cells: each municipality's observed/expected
ratio (O/E) against its expected count E, with the 95 % and 99.8 % limits of a ratio around 1
(`uiv_core.cells.standardisation.ratio_funnel_limits`). It reads `published_adjusted` only, so a
municipality whose crude cell is hidden, or whose adjusted cell is suppressed, is not drawn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uiv_core.cells.standardisation import ratio_funnel_limits
from uiv_core.publish import swedish
from uiv_core.publish.charts import FUNNEL_ORDER, PALETTE, _axis, _layout, county_ring, funnel_points
from uiv_core.sql import query
from uiv_schema.indicators import INDICATOR_BY_ID
from uiv_schema.labels import CHART_LABELS, TARGET_GROUP_LABELS
from uiv_schema.municipalities import municipalities, unit_name


def adjusted_funnel_data(con, period: str, indicator_id: str, target_group: str = "alla") -> pd.DataFrame:
    """The municipalities' shown adjusted cells of one indicator, rolling window and target group."""
    return con.execute(query("adjusted_funnel_cells"),
                       {"period": period, "indicator": indicator_id, "target_group": target_group}).fetchdf()


def adjusted_funnel_chart(data: pd.DataFrame, indicator_id: str, period_text: str,
                          county_code: str | None = None) -> dict:
    """O/E against E for every shown municipal cell, marked by where it lies against the 95 % and
    99.8 % limits at its E (the hover gives its own interval); the county's own municipalities
    ringed. Raises ValueError when no cell is shown."""
    rows = data[data.ratio.notna() & data.expected.notna()]
    if rows.empty:
        raise ValueError(f"no shown adjusted cell of {indicator_id}")
    expected = rows.expected.to_numpy(float)
    grid = np.unique(np.round(np.geomspace(max(1.0, expected.min() / 1.5), expected.max() * 1.1, 120), 1))
    traces = [{"type": "scatter", "x": [float(grid[0]), float(grid[-1])], "y": [1.0, 1.0], "mode": "lines",
               "hoverinfo": "skip", "name": CHART_LABELS["expected_line"],
               "line": {"color": PALETTE["black"], "width": 2.5}}]
    for key, confidence, dash in (("95", 0.95, "dot"), ("998", 0.998, "solid")):
        low, high = ratio_funnel_limits(grid, confidence)
        for side, values in (("lower", low), ("upper", high)):
            traces.append({"type": "scatter", "x": grid.tolist(), "y": [float(v) for v in values], "mode": "lines",
                           "hoverinfo": "skip", "name": CHART_LABELS[f"limit_{key}"], "legendgroup": key,
                           "showlegend": side == "upper", "line": {"color": PALETTE["dark"], "width": 1.5, "dash": dash}})
    # each point marked by where it lies against the funnel at its own E, as on the crude funnel
    indicator = INDICATOR_BY_ID[indicator_id]
    ratio = rows.ratio.to_numpy(float)
    low95, high95 = ratio_funnel_limits(expected, 0.95)
    low998, high998 = ratio_funnel_limits(expected, 0.998)
    labels = np.select([ratio > high998, ratio > high95, ratio < low998, ratio < low95],
                       ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"], "Not significant")
    for label in FUNNEL_ORDER:
        part = rows[labels == label]
        if not part.empty:
            traces.append(funnel_points(label, indicator.polarity, part.expected.astype(float).tolist(),
                                        part.ratio.astype(float).tolist(), [CHART_LABELS["adjusted_hover"].format(
                                            name=unit_name("kommun", r.unit_code),
                                            ratio=swedish.ratio(r.ratio, r.ratio_ci95_low, r.ratio_ci95_high),
                                            observed=swedish.count(r.observed), expected=swedish.count(r.expected))
                                            for r in part.itertuples()]))
    if county_code:
        members = rows[rows.unit_code.map(lambda c: municipalities()[c].county_code == county_code)]
        if not members.empty:
            traces.append(county_ring(county_code, members.expected.astype(float).tolist(),
                                      members.ratio.astype(float).tolist()))
    group = TARGET_GROUP_LABELS[str(rows.target_group.iloc[0])]
    top = max(2.0, float(rows.ratio.max()) * 1.1)
    return {"data": traces, "layout": _layout(
        CHART_LABELS["adjusted_title"].format(indicator=indicator.name_sv), f"{period_text} · {group}", 820, 560,
        xaxis=_axis(CHART_LABELS["axis_expected"], rangemode="tozero", showgrid=True),
        yaxis=_axis(CHART_LABELS["axis_ratio"], range=[0, top], showgrid=True))}
