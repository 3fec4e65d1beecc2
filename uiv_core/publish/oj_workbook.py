"""The Öppna jämförelser-style workbook `oppna_jamforelser_<period>.xlsx`: the latest rolling four
quarters, one sheet per target group with municipalities as rows (grouped by county, each county
and the country as rows of their own) and indicators as columns. A municipal cell is filled with
its quartile colour (the same palette as the pages and charts) and carries its significance
against the country as a sign after the value (a number format, so the cell stays a number);
hidden cells read `..`. An "Om filen" sheet first and a "Definitioner" sheet last.

Reads only the published tables; the bytes depend only on them and on the run stamp.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from uiv_core.publish import swedish
from uiv_core.publish.charts import OJ_COLOURS
from uiv_core.publish.xlsx import FixedZip, neutral, replacing, stamp_time, styled_cell
from uiv_core.sql import query
from uiv_schema.indicators import INDICATORS, PERCENT
from uiv_schema.labels import (COUNTRY_NAME, EXPORT_LABELS, OJ_ABOUT_ROWS, OJ_LABELS, SIGNIFICANCE_SYMBOLS,
                               SUPPRESSED_MARK, TARGET_GROUP_LABELS)
from uiv_schema.municipalities import counties, municipalities
from uiv_schema.results import COLOUR, SIGNIFICANCE

#: white text on the dark fills, dark text on yellow and grey
_TEXT_ON = {COLOUR.GREEN: "FFFFFF", COLOUR.RED: "FFFFFF", COLOUR.MIDDLE: "1D2733", COLOUR.GREY: "1D2733"}


def file_name(period: str) -> str:
    return f"oppna_jamforelser_{period}.xlsx"


def write_oj_workbook(con: duckdb.DuckDBPyConnection, folder: Path, run_stamp: str, min_n: int,
                      peer_group_of: dict[str, str], method: str) -> Path | None:
    """Write the workbook for the latest rolling window into `folder`; None before one exists."""
    period = con.execute(query("latest_rolling_window")).fetchall()[0][0]
    if period is None:
        return None
    cells: dict[tuple[str, str, str, str], tuple] = {}
    for unit_type, code, group, indicator_id, value, suppression, colour, significance in con.execute(
            query("oj_cells"), {"period": period}).fetchall():
        cells[(group, unit_type, code, indicator_id)] = (value, suppression, colour, significance)
    path = Path(folder) / file_name(period)
    stamp = stamp_time(run_stamp)
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet(OJ_LABELS["about_sheet"])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 24, 110
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    text = {"quarters": swedish.quarters_of(period), "run_stamp": run_stamp, "method": method, "min_n": min_n}
    for key, value in OJ_ABOUT_ROWS:
        about.append([styled_cell(about, key, font=bold, alignment=wrap),
                      styled_cell(about, value.format(**text), alignment=wrap)])
    styles = _Styles()
    for group, label in TARGET_GROUP_LABELS.items():
        units = _rows_of(cells, group)
        if not any(unit_type == "kommun" for unit_type, _ in units):
            continue
        sheet = workbook.create_sheet(label)
        _write_group_sheet(sheet, cells, group, units, peer_group_of, styles)
    definitions = workbook.create_sheet(OJ_LABELS["definitions_sheet"])
    for letter, width in zip("ABCDE", (34, 44, 90, 12, 24)):
        definitions.column_dimensions[letter].width = width
    definitions.append([styled_cell(definitions, h, font=bold) for h in OJ_LABELS["definition_headers"]])
    for indicator in INDICATORS:
        definitions.append([indicator.id, indicator.name_sv, indicator.description_sv,
                            EXPORT_LABELS[indicator.unit], OJ_LABELS["polarity"][indicator.polarity]])
    workbook.properties.created = workbook.properties.modified = stamp
    with replacing(path) as temporary:
        ExcelWriter(workbook, FixedZip(temporary, stamp, {}, 1)).save()
    return path


def _rows_of(cells: dict, group: str) -> list[tuple[str, str]]:
    """The sheet's rows: the country, then each county followed by its municipalities with data
    (by name), counties in code order."""
    present = {(unit_type, code) for (g, unit_type, code, _) in cells if g == group}
    by_county: dict[str, list[str]] = {}
    for unit_type, code in present:
        if unit_type == "kommun":
            by_county.setdefault(municipalities()[code].county_code, []).append(code)
    rows = [("riket", "0000")] if ("riket", "0000") in present else []
    for county in sorted(by_county):
        rows.append(("lan", "00" + county))
        rows += [("kommun", code) for code in sorted(by_county[county], key=lambda c: municipalities()[c].name)]
    return rows


class _Styles:
    """The few cell styles of the sheets, made once: the value formats (one per unit and sign), the
    quartile fills, and the bold benchmark rows."""

    def __init__(self):
        self.fills = {colour: PatternFill("solid", fgColor=OJ_COLOURS[colour].lstrip("#").upper())
                      for colour in OJ_COLOURS}
        self.fonts = {colour: Font(color=_TEXT_ON[colour]) for colour in OJ_COLOURS}
        self.bold = Font(bold=True)
        self.right = Alignment(horizontal="right")

    @staticmethod
    def number_format(unit: str, significance: str | None) -> str:
        digits = "0.0" if unit == PERCENT else "0.00"
        sign = SIGNIFICANCE_SYMBOLS.get(significance or SIGNIFICANCE.NOT_COMPARABLE, "")
        return f'{digits}" {sign}"' if sign else digits


def _write_group_sheet(sheet, cells, group, units, peer_group_of, styles: _Styles) -> None:
    headers = [*OJ_LABELS["headers"], *(i.name_sv for i in INDICATORS)]
    widths = [8, 26, 30] + [14] * len(INDICATORS)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    header_style = Alignment(wrap_text=True, vertical="top")
    sheet.append([styled_cell(sheet, h, font=styles.bold, alignment=header_style) for h in headers])
    for unit_type, code in units:
        municipal = unit_type == "kommun"
        name = (municipalities()[code].name if municipal else
                COUNTRY_NAME if unit_type == "riket" else counties()[code[-2:]])
        bold = {} if municipal else {"font": styles.bold}
        row = [styled_cell(sheet, code, **bold), styled_cell(sheet, name, **bold),
               styled_cell(sheet, neutral(peer_group_of.get(code, "")) if municipal else "", **bold)]
        for indicator in INDICATORS:
            found = cells.get((group, unit_type, code, indicator.id))
            if found is None:
                row.append(styled_cell(sheet, None))
                continue
            value, suppression, colour, significance = found
            # the quartile fill on municipal cells of indicators with a direction; need shares
            # describe the clients and stay white, as the counties and the country do
            colour = colour if municipal and indicator.polarity and isinstance(colour, str) else None
            style = dict(bold)
            if colour:
                style = {"fill": styles.fills[colour], "font": styles.fonts[colour]}
            if value is None or suppression is not None:
                row.append(styled_cell(sheet, SUPPRESSED_MARK, alignment=styles.right, **style))
            else:
                row.append(styled_cell(sheet, value, number_format=styles.number_format(
                    indicator.unit, significance if municipal else None), **style))
        sheet.append(row)
