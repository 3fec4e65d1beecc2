"""The tables of a municipality page, one target group at a time: the ten-second summary against
the country, the county and the kommungrupp; the life-area overview; the profile ordered by life
area; the breakdown section. Pure functions of the published cells the report hands in (`Cell`:
one row of `report_cells.sql`, looked up by `CellLookup`), so the page says exactly what the
published tables hold.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from uiv_core.publish import swedish
from uiv_schema.codes import AGE_GROUPS, AREAS, INTERVENTIONS, SEXES, SUBSTANCES
from uiv_schema.indicators import AREA_FAMILIES, FOLLOWUPS_INDICATOR, INDICATOR_BY_ID, INDICATORS, SINGLE
from uiv_schema.labels import (AREA_LABELS, BREAKDOWN_LABELS, COLOUR_LABELS, INTERVENTION_LABELS, REPORT_LABELS,
                               SEX_LABELS, SIGNIFICANCE_LABELS, SUBSTANCE_LABELS, SUPPRESSED_MARK, TREND_ARROWS,
                               TREND_LABELS)
from uiv_schema.results import COLOUR, SIGNIFICANCE

Cell = Any  # a row of report_cells.sql (a named tuple)
CellLookup = Callable[[str, str, str, str], Cell | None]  # (unit type, unit code, indicator, target group)

#: the breakdowns shown on the page, each with its values in the contract's order and their labels
BREAKDOWNS: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    ("sex", SEXES, SEX_LABELS),
    ("age_group", AGE_GROUPS, {a: a.replace("-", "–") for a in AGE_GROUPS}),
    ("intervention", INTERVENTIONS, INTERVENTION_LABELS),
    ("main_substance", SUBSTANCES, SUBSTANCE_LABELS),
)
#: the columns of the breakdown tables (one indicator each)
BREAKDOWN_INDICATORS: tuple[str, ...] = (
    *(f"improved_share.{area}" for area in AREAS), "satisfied_share", "dropout_share",
)
#: the life-area overview's measures: one indicator family per column
OVERVIEW_FAMILIES: tuple[str, ...] = tuple(family.id for family in AREA_FAMILIES)

_SIGNIFICANCES = (SIGNIFICANCE.BETTER, SIGNIFICANCE.SIMILAR, SIGNIFICANCE.WORSE, SIGNIFICANCE.NOT_COMPARABLE)


def table(headers: list[str], rows: list[list[tuple[str, str]]], caption: str = "") -> str:
    """An HTML table; each cell is (text, css class), a row may start with ('', 'group:<text>') for
    a heading row across the table. Text is escaped here. A wide table scrolls inside its own box
    on a phone; the page itself never scrolls sideways."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        if row and row[0][1].startswith("group:"):
            body.append(f'<tr class="group"><th colspan="{len(headers)}">{html.escape(row[0][1][6:])}</th></tr>')
            continue
        body.append("<tr>" + "".join(f'<td class="{cls}">{html.escape(text)}</td>' for text, cls in row) + "</tr>")
    top = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="table-scroll"><table class="data">{top}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def legend() -> str:
    """What the colours mean, in the labels' words: the quartile chips and the significance hues."""
    chips = "".join(f'<span class="chip c-{code}">{html.escape(COLOUR_LABELS[code])}</span>' for code in
                    (COLOUR.GREEN, COLOUR.MIDDLE, COLOUR.RED, COLOUR.GREY))
    words = "".join(f'<span class="sig-{code}">{html.escape(SIGNIFICANCE_LABELS[code])}</span>'
                    for code in _SIGNIFICANCES)
    return (f'<div class="legend"><p>{html.escape(REPORT_LABELS["legend_quartile"])} {chips}</p>'
            f'<p>{html.escape(REPORT_LABELS["legend_significance"])} {words}</p></div>')


def _significance(value) -> str:
    return value if isinstance(value, str) else SIGNIFICANCE.NOT_COMPARABLE


def significance_cell(value) -> tuple[str, str]:
    """A table cell of a comparison: its label, coloured by its hue (`ej jämförbar` when missing)."""
    code = _significance(value)
    return SIGNIFICANCE_LABELS[code], f"sig-{code}"


def summary(cell: CellLookup, code: str, target_group: str, peer_group: str | None) -> dict:
    """The ten-second answer for one target group: how many indicators (with a polarity) are better,
    no different or worse than the country, the county and the kommungrupp, and in how many the
    municipality is in the best quartile. `lines`: the sentences, the country's first."""
    counts = {key: dict.fromkeys(_SIGNIFICANCES, 0) for key in ("significance", "county_significance",
                                                                  "group_significance")}
    best = ranked = shown = 0
    for indicator in INDICATORS:
        found = cell("kommun", code, indicator.id, target_group)
        if found is None or not indicator.polarity:
            continue
        shown += 1
        for key, tally in counts.items():
            tally[_significance(getattr(found, key))] += 1
        if not swedish.missing(found.quartile):
            ranked += 1
            best += found.colour == COLOUR.GREEN

    def words(tally: dict) -> dict:
        return {"better": tally[SIGNIFICANCE.BETTER], "similar": tally[SIGNIFICANCE.SIMILAR],
                "worse": tally[SIGNIFICANCE.WORSE], "unknown": tally[SIGNIFICANCE.NOT_COMPARABLE]}

    country = counts["significance"]
    lines = [REPORT_LABELS["summary"].format(**words(country), best=best, ranked=ranked),
             REPORT_LABELS["summary_county"].format(**words(counts["county_significance"]))]
    if peer_group:
        lines.append(REPORT_LABELS["summary_group"].format(**words(counts["group_significance"]), group=peer_group))
    return {"text": lines[0], "lines": lines, "counts": country, "best": best, "ranked": ranked, "shown": shown}


def area_overview(cell: CellLookup, code: str, target_group: str) -> str:
    """Nine life areas × five measures (need, rated, improved, markedly improved, mean), each value
    coloured by its comparison with the country (need shares describe the clients: no colour)."""
    rows = []
    for area in AREAS:
        row = [(AREA_LABELS[area], "")]
        for family in OVERVIEW_FAMILIES:
            indicator = INDICATOR_BY_ID[family.format(area=area)]
            found = cell("kommun", code, indicator.id, target_group)
            value = None if found is None else found.value
            significance = SIGNIFICANCE.NOT_COMPARABLE if found is None else _significance(found.significance)
            tone = f" sig-{significance}" if indicator.polarity else ""
            row.append((swedish.number(value, indicator.unit), f"num overview{tone}"))
        rows.append(row)
    return table(list(REPORT_LABELS["overview_headers"]), rows)


def profile_table(cell: CellLookup, ranks: dict, code: str, county: str, peer: str | None,
                  target_group: str) -> str:
    """Every indicator of the target group, ordered by life area (a heading row per area), then
    satisfaction and dropout: value, interval, n, the three benchmarks, significance against the
    country, quartile, place, trend."""
    sections = [(AREA_LABELS[area], [i for i in INDICATORS if i.area == area]) for area in AREAS]
    sections.append((REPORT_LABELS["other_indicators"], list(SINGLE)))
    rows = []
    for title, indicators in sections:
        section = []
        for indicator in indicators:
            found = cell("kommun", code, indicator.id, target_group)
            if found is None:
                continue
            county_cell = cell("lan", county, indicator.id, target_group)
            peer_cell = None if peer is None else cell("grupp", peer, indicator.id, target_group)
            colour = found.colour if isinstance(found.colour, str) else COLOUR.GREY
            trend = (f"{TREND_ARROWS.get(found.trend, '')} {TREND_LABELS[found.trend]}".strip()
                     if isinstance(found.trend, str) and found.trend in TREND_LABELS else "–")
            section.append([
                (indicator.name_sv, ""),
                (swedish.number(found.value, indicator.unit), "num"),
                (swedish.interval(found.ci95_low, found.ci95_high, indicator.unit), "num"),
                (swedish.count(found.denominator), "num"),
                (swedish.number(found.country_value, indicator.unit), "num"),
                (swedish.number(None if county_cell is None else county_cell.value, indicator.unit), "num"),
                (swedish.number(None if peer_cell is None else peer_cell.value, indicator.unit), "num"),
                significance_cell(found.significance),
                (COLOUR_LABELS[colour] if indicator.polarity else "–", f"chip c-{colour}"),
                (ranks.get((code, indicator.id, target_group), "–"), "num"),
                (trend, f"trend t-{found.trend}" if isinstance(found.trend, str) else ""),
            ])
        if section:
            rows += [[("", f"group:{title}")], *section]
    return table(list(REPORT_LABELS["profile_headers"]), rows)


def breakdown_tables(cells: dict, code: str, target_group: str) -> list[dict]:
    """One table per breakdown with published cells for the municipality and target group: its
    values as rows, n and the key indicators as columns (`..` where a cell is hidden). `cells`:
    (code, target group, breakdown, value, indicator) → a row of report_breakdown_cells.sql."""
    tables = []
    headers = [REPORT_LABELS["breakdown_n"]] + [
        AREA_LABELS[INDICATOR_BY_ID[i].area] if INDICATOR_BY_ID[i].area else REPORT_LABELS["breakdown_single"][i]
        for i in BREAKDOWN_INDICATORS]
    for breakdown, values, labels in BREAKDOWNS:
        rows = []
        for value_code in values:
            found = [cells.get((code, target_group, breakdown, value_code, i)) for i in BREAKDOWN_INDICATORS]
            if not any(f is not None for f in found):
                continue
            # n: the follow-ups of the group (the satisfaction question's denominator is a subset)
            every = cells.get((code, target_group, breakdown, value_code, FOLLOWUPS_INDICATOR))
            n = SUPPRESSED_MARK if every is None or isinstance(every.suppression, str) else swedish.count(every.denominator)
            row = [(labels.get(value_code, value_code), ""), (n, "num")]
            for indicator_id, f in zip(BREAKDOWN_INDICATORS, found):
                unit = INDICATOR_BY_ID[indicator_id].unit
                row.append((swedish.number(None if f is None else f.value, unit), "num"))
            rows.append(row)
        if rows:
            tables.append({"title": BREAKDOWN_LABELS[breakdown],
                           "table": table([BREAKDOWN_LABELS[breakdown]] + headers, rows,
                                          caption=REPORT_LABELS["breakdown_caption"])})
    return tables
