"""Published exports: `indicatorer.xlsx`, `indicatorer.csv`, `indicators.parquet` and one goal-setting
workbook `malunderlag_<kod>.xlsx` per municipality with a baseline.

They read only the published tables (`uiv_core.publish.publication`), so a suppressed cell reaches them as
NULL and is written as `..` (NULL in the parquet, with its `suppression`). The bytes depend only on
the tables, `run_stamp` and `min_n`: rows are sorted, the xlsx core properties and zip entry times
are derived from `run_stamp`, which appears only on the "Om filen" / "Om underlaget" sheets.

The workbooks are built with openpyxl in write-only mode (sheets, styles, widths, frozen header,
auto filter); the data rows of a sheet are serialised here, straight into its zip entry, because
openpyxl's per-cell writer (no lxml) manages ~60 000 cells a second and the demo has 25 million.
"""

from __future__ import annotations

import csv
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from math import isfinite
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from uiv_core.cells.adjusted import EXPECTED_FLOOR
from uiv_core.publish.adjusted_exports import ADJUSTED_COLUMNS, adjusted_rows, write_adjusted_parquet
from uiv_core.publish.export_files import (  # noqa: F401  (re-exported)
    ADJUSTED_PARQUET, ADJUSTED_WORKBOOK, COUNT, CSV_FILE, PARQUET_FILE, RATIO, TEXT, VALUE, WORKBOOKS)
from uiv_core.publish.folders import replacing_folder
from uiv_core.publish.oj_workbook import write_oj_workbook
from uiv_core.publish.xlsx import FixedZip, decimal_text, neutral, replacing, stamp_time, styled_cell
from uiv_core.publish import swedish
from uiv_core.sql import query, table_exists
from uiv_schema.codes import CONTRACT_VERSION
from uiv_schema.indicators import INDICATOR_BY_ID, INDICATOR_VERSION, INDICATORS, MEAN, PERCENT
from uiv_schema.labels import (ABOUT_ROWS, ADJUSTED_ABOUT_ROWS, EXPORT_CONTENTS, NO_PERIOD_LABEL, BREAKDOWN_LABELS, EXPORT_HEADERS, EXPORT_LABELS, GOAL_ROWS, COLOUR_LABELS, FUNNEL_LABELS, INTERVENTION_LABELS,
                               PERIOD_TYPE_LABELS, SEX_LABELS, SIGNIFICANCE_LABELS, SUBSTANCE_LABELS,
                               NOT_CALCULABLE, SUPPRESSED_MARK, TARGET_GROUP_LABELS, TARGET_RULE_LABELS, TREND_LABELS,
                               UNIT_TYPE_LABELS)
from uiv_schema.municipalities import unit_name
from uiv_schema.results import CELL_KEY

# --- columns -----------------------------------------------------------------------------------

_FIGURES = ("numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low", "ci998_high")
#: (key, kind, width) of indicatorer.xlsx / .csv
INDICATOR_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("period", TEXT, 9), ("period_type", TEXT, 21), ("unit_code", TEXT, 11), ("unit_name", TEXT, 22),
    ("unit_type", TEXT, 15), ("target_group", TEXT, 21), ("breakdown", TEXT, 13),
    ("breakdown_value", TEXT, 20), ("indicator_id", TEXT, 34), ("indicator_name", TEXT, 44),
    ("measure", TEXT, 11), ("numerator", COUNT, 9), ("denominator", COUNT, 9), ("value", VALUE, 8),
    ("ci95_low", VALUE, 9), ("ci95_high", VALUE, 9), ("ci998_low", VALUE, 9), ("ci998_high", VALUE, 9),
    ("suppression", TEXT, 22), ("country_value", VALUE, 8), ("significance", TEXT, 26),
    ("colour", TEXT, 18), ("quartile", COUNT, 8), ("funnel", TEXT, 29), ("trend", TEXT, 22),
    ("county_value", VALUE, 8), ("county_significance", TEXT, 26), ("group_value", VALUE, 12),
    ("group_significance", TEXT, 26),
)
GOAL_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("target_group", TEXT, 21), ("indicator_name", TEXT, 44), ("indicator_id", TEXT, 34),
    ("period", TEXT, 15), ("baseline_value", VALUE, 12), ("baseline_ci95_low", VALUE, 9),
    ("baseline_ci95_high", VALUE, 9), ("baseline_n", COUNT, 9), ("yearly_n", COUNT, 9), ("country_value", VALUE, 8),
    ("county_value", VALUE, 8), ("peer_group", TEXT, 16), ("peer_median", VALUE, 12),
    ("best_quartile_threshold", VALUE, 12), ("best_published_value", VALUE, 12),
    ("min_detectable_change", VALUE, 12), ("n_needed", COUNT, 12), ("suggested_target", VALUE, 12),
    ("target_rule", TEXT, 60), ("goal_note", TEXT, 70),
)
_GOAL_FIGURES = {"baseline_value", "baseline_ci95_low", "baseline_ci95_high", "baseline_n", "yearly_n",
                 "min_detectable_change", "n_needed"}
#: figures of a shown baseline that may have no value: written out as "kan inte beräknas"
_GOAL_MAYBE = ("peer_median", "best_quartile_threshold", "best_published_value", "min_detectable_change", "n_needed")
_VALUE_FORMATS = {PERCENT: "0.0", MEAN: "0.00"}
#: rows per sheet at most (Excel: 1 048 576 with the header); a target group beyond it continues
#: on "<name> (2)"
MAX_SHEET_ROWS = 1_048_575
_BREAKDOWN_VALUE_LABELS = {"alla": {"alla": BREAKDOWN_LABELS["alla"]}, "sex": SEX_LABELS,
                           "main_substance": SUBSTANCE_LABELS, "intervention": INTERVENTION_LABELS}

#: the CSV's rows, as an SQL condition on published_indicators p
SCOPE = query("_export_scope", part="all").strip()

Row = tuple[list, str]  # the cells of a row, and its indicator's unit (the values' number format)


def write_exports(con: duckdb.DuckDBPyConnection, out_dir: Path, run_stamp: str, *,
                  min_n: int = 10) -> list[Path]:
    """Write every export into a new folder and swap it in as `out_dir` (`uiv_core.publish.folders`: a
    crash leaves the previous complete set, and no stale `malunderlag_*.xlsx` survives); returns
    their final paths. `min_n` is only reported (the suppression is already in the published
    tables)."""
    out_dir = Path(out_dir)
    stamp = stamp_time(run_stamp)
    text = {"run_stamp": run_stamp, "method": INDICATOR_VERSION, "min_n": min_n,
            "contract": CONTRACT_VERSION}
    names = {(t, c): unit_name(t, c) for t, c in con.execute(query("published_units")).fetchall()}
    latest = con.execute(query("latest_rolling_window")).fetchall()[0][0]
    text |= _period_text(con, latest)
    con.execute(query("export_cells", keys=CELL_KEY, figures=_FIGURES, part="all", latest_parameter=True),
                {"latest": latest})
    with replacing_folder(out_dir) as folder, ThreadPoolExecutor(1) as beside:
        # indicators.parquet and the smaller workbooks are written beside the indicator files, on
        # a connection of their own: the Parquet file is DuckDB's and Arrow's work, which leaves
        # Python free for the big workbooks' sheets (the indicator files read the TEMP table
        # export_cells, which only `con` sees)
        others = beside.submit(_write_beside, con, folder, stamp, text, names, run_stamp, min_n)
        paths = [_write_indicator_workbook(con, folder / name, stamp, text, names, part, latest)
                 for name, part in WORKBOOKS.items()]
        paths.append(_write_indicator_csv(con, folder / CSV_FILE, names))
        paths += others.result()
    con.execute(query("drop_table", table="export_cells"))
    return [out_dir / p.name for p in paths]


# --- rows --------------------------------------------------------------------------------------


def _period_text(con, latest: str | None) -> dict[str, str]:
    """What the periods of this export are, for the "Om filen" sheets: the `latest` rolling window,
    the published calendar years, and the current year when it is incomplete ("2026 (kv 1–3)")."""
    years = [y for (y,) in con.execute(query("export_published_years")).fetchall()]
    incomplete = ""
    if latest is not None and not latest.endswith("Q4"):
        incomplete = EXPORT_LABELS["incomplete_year"].format(
            year=swedish.incomplete_year(latest), quarters=swedish.quarters_of(latest))
    return {"latest": swedish.quarters_of(latest) if latest else NO_PERIOD_LABEL,
            "years": ", ".join(years) if years else EXPORT_LABELS["no_years"], "incomplete": incomplete}


def _indicator_rows(con, names, latest: str | None, target_group: str | None = None, offset: int = 0,
                    limit: int | None = None, part: str = "all") -> Iterator[Row]:
    """The rows of `part` from `export_cells` (made by `write_exports` for the `latest` rolling window)."""
    sql = query("export_indicator_rows", keys=CELL_KEY, target_group=bool(target_group),
                paged=bool(limit), part=part, latest_parameter=True)
    params = (_latest(sql, latest) | ({"tg": target_group} if target_group else {})
              | ({"limit": limit, "offset": offset} if limit else {}))
    result = con.execute(sql, params)
    while batch := result.fetchmany(50_000):
        for row in batch:
            key, figures, (suppression, country, sig, colour, quartile, funnel, trend, county, county_sig, peer,
                           peer_sig) = row[:8], row[8:15], row[15:]
            period, period_type, code, unit_type, group, breakdown, value_code, indicator_id = key
            indicator = INDICATOR_BY_ID[indicator_id]
            if suppression is not None:
                figures = (SUPPRESSED_MARK,) * len(_FIGURES)
            if country is None and unit_type == "kommun":
                country = SUPPRESSED_MARK  # the country's cell is suppressed
            if county is None and county_sig is not None:
                county = SUPPRESSED_MARK  # the county's cell is suppressed
            if peer is None and peer_sig is not None:
                peer = SUPPRESSED_MARK
            yield [period, PERIOD_TYPE_LABELS[period_type], code, names[unit_type, code],
                   UNIT_TYPE_LABELS[unit_type], TARGET_GROUP_LABELS[group], BREAKDOWN_LABELS[breakdown],
                   _BREAKDOWN_VALUE_LABELS.get(breakdown, {}).get(value_code, value_code), indicator_id,
                   indicator.name_sv, EXPORT_LABELS[indicator.unit], *figures,
                   EXPORT_LABELS.get(suppression), country, SIGNIFICANCE_LABELS.get(sig),
                   COLOUR_LABELS.get(colour), quartile, FUNNEL_LABELS.get(funnel),
                   TREND_LABELS.get(trend), county, SIGNIFICANCE_LABELS.get(county_sig), peer,
                   SIGNIFICANCE_LABELS.get(peer_sig)], indicator.unit


def _latest(sql: str, latest: str | None) -> dict:
    """The parameter $latest, for a statement whose part reads it (the calendar years' does not)."""
    return {"latest": latest} if "$latest" in sql else {}


def _goal_rows(rows: list[dict]) -> Iterator[Row]:
    groups, order = list(TARGET_GROUP_LABELS), [i.id for i in INDICATORS]
    for r in sorted(rows, key=lambda r: (groups.index(r["target_group"]), order.index(r["indicator_id"]))):
        indicator = INDICATOR_BY_ID[r["indicator_id"]]
        cells = {**r, "target_group": TARGET_GROUP_LABELS[r["target_group"]],
                 "indicator_name": indicator.name_sv, "target_rule": TARGET_RULE_LABELS[r["target_rule"]],
                 "period": swedish.quarters_of(r["period"], r["baseline_quarters"])}
        for key in ("country_value", "county_value"):
            cells[key] = SUPPRESSED_MARK if r[key] is None else r[key]
        for key in _GOAL_MAYBE:
            cells[key] = NOT_CALCULABLE if r[key] is None else r[key]
        cells["goal_note"] = swedish.goal_note(r["target_rule"], r["yearly_n"], r["min_detectable_change"],
                                               indicator.unit, r["baseline_quarters"], r["period"])
        if r["suppression"] is not None:
            cells.update(dict.fromkeys(_GOAL_FIGURES, SUPPRESSED_MARK))
        yield [cells[key] for key, _, _ in GOAL_COLUMNS], indicator.unit


# --- files -------------------------------------------------------------------------------------


def _write_indicator_workbook(con, path, stamp, text, names, part: str, latest: str | None) -> Path:
    sql = query("export_target_group_counts", part=part, latest_parameter=True)
    counts = dict(con.execute(sql, _latest(sql, latest)).fetchall())
    sheets = []
    for group, title in TARGET_GROUP_LABELS.items():
        n = counts.get(group, 0)
        for number, offset in enumerate(range(0, max(n, 1), MAX_SHEET_ROWS)):
            rows_of = (lambda g=group, o=offset: _indicator_rows(con, names, latest, g, o, MAX_SHEET_ROWS, part))
            sheets.append((title if number == 0 else f"{title} ({number + 1})",
                           min(n - offset, MAX_SHEET_ROWS), rows_of))
    about = [(k, v.format(**text, content=EXPORT_CONTENTS[part].format(**text))) for k, v in ABOUT_ROWS]
    return write_workbook(path, stamp, EXPORT_LABELS["about_sheet"], about, INDICATOR_COLUMNS, sheets)


def _write_goal_workbooks(con, out_dir, stamp, text) -> list[Path]:
    result = con.execute(query("published_baselines_sorted"))
    columns = [d[0] for d in result.description]
    by_unit: dict[str, list[dict]] = {}
    for row in result.fetchall():
        record = dict(zip(columns, row))
        by_unit.setdefault(record["unit_code"], []).append(record)
    paths = []
    for code, rows in by_unit.items():
        about = [(k, v.format(**text, code=code, name=unit_name("kommun", code),
                              period=swedish.quarters_of(rows[0]["period"]))) for k, v in GOAL_ROWS]
        sheet = (EXPORT_LABELS["goal_sheet"], len(rows), lambda rows=rows: _goal_rows(rows))
        paths.append(write_workbook(out_dir / f"malunderlag_{code}.xlsx", stamp,
                                     EXPORT_LABELS["goal_about_sheet"], about, GOAL_COLUMNS, [sheet]))
    return paths





def _write_adjusted(con, folder: Path, stamp, text, names) -> list[Path]:
    """indikatorer_justerade.xlsx and adjusted.parquet: the case-mix adjusted cells (none without
    `published_adjusted`, e.g. a store published before it existed)."""
    if not table_exists(con, "published_adjusted"):
        return []
    count = con.execute(query("count_rows", table="published_adjusted")).fetchall()[0][0]
    about = [(k, v.format(**text, expected_floor=f"{EXPECTED_FLOOR:g}")) for k, v in ADJUSTED_ABOUT_ROWS]
    sheet = (EXPORT_LABELS["adjusted_sheet"], count, lambda: adjusted_rows(con, names))
    workbook = write_workbook(folder / ADJUSTED_WORKBOOK, stamp, EXPORT_LABELS["about_sheet"], about,
                              ADJUSTED_COLUMNS, [sheet])
    with _names_registered(con, names):
        return [workbook, write_adjusted_parquet(con, folder / ADJUSTED_PARQUET)]


#: decimals of a value in the CSV, as published on the pages: one for a share, two for a mean
CSV_DECIMALS = {PERCENT: 1, MEAN: 2}


def _write_indicator_csv(con, path: Path, names) -> Path:
    """indicatorer.csv: the header, then the rows as DuckDB writes them out of `export_cells`
    (export_csv_lines.sql: the workbooks' cells, rounded as published with a decimal comma, the
    Swedish labels registered by `_labels_registered`). Python's csv module formatting 200 000
    rows took 3.5 s; the statement about 0.5 s."""
    with _names_registered(con, names), _labels_registered(con), replacing(path) as temporary, \
            open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerow(
            [EXPORT_HEADERS[key] for key, _, _ in INDICATOR_COLUMNS])
        result = con.execute(query("export_csv_lines", keys=CELL_KEY, figures=_FIGURES, mark=SUPPRESSED_MARK))
        while batch := result.fetchmany(50_000):
            handle.write("".join(line + "\r\n" for (line,) in batch))
    return path


@contextmanager
def _labels_registered(con) -> Iterator[None]:
    """The Swedish labels of the stored codes as the relation `export_labels` (kind, code, label),
    for export_csv_lines.sql: the same dictionaries `_indicator_rows` reads."""
    kinds = {"period_type": PERIOD_TYPE_LABELS, "unit_type": UNIT_TYPE_LABELS, "target_group": TARGET_GROUP_LABELS,
             "breakdown": BREAKDOWN_LABELS, "measure": EXPORT_LABELS, "suppression": EXPORT_LABELS,
             "significance": SIGNIFICANCE_LABELS, "colour": COLOUR_LABELS, "funnel": FUNNEL_LABELS,
             "trend": TREND_LABELS, **{f"value {b}": labels for b, labels in _BREAKDOWN_VALUE_LABELS.items()}}
    rows = [(kind, code, label) for kind, labels in kinds.items() for code, label in labels.items()]
    con.register("export_labels", pa.table({name: pa.array([row[i] for row in rows], pa.string())
                                            for i, name in enumerate(("kind", "code", "label"))}))
    try:
        yield
    finally:
        con.unregister("export_labels")


def code_as_text(code: str) -> str:
    """A unit code as a spreadsheet opening the CSV by double-click keeps it: a code of digits is
    written `="0126"` (Excel's and LibreOffice's text formula: shown as 0126, never as the number
    126); a peer group's name as it is. The Parquet file holds the plain codes for programs."""
    return f'="{code}"' if code.isdigit() else neutral(code)


@contextmanager
def _names_registered(con, names) -> Iterator[None]:
    """The units' and the indicators' names as the relations `export_unit_names` and
    `export_catalogue` (with each indicator's number format in the CSV), for the Parquet files'
    and the CSV's statements to join."""
    def strings(**columns) -> pa.Table:
        return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})

    con.register("export_unit_names", strings(
        unit_type=[t for t, _ in names], unit_code=[c for _, c in names], unit_name=list(names.values())))
    con.register("export_catalogue", strings(
        indicator_id=[i.id for i in INDICATORS], measure=[i.unit for i in INDICATORS],
        indicator_name=[i.name_sv for i in INDICATORS],
        number_format=[f"%.{CSV_DECIMALS[i.unit]}f" for i in INDICATORS]))
    try:
        yield
    finally:
        con.unregister("export_unit_names")
        con.unregister("export_catalogue")


def _write_beside(con: duckdb.DuckDBPyConnection, folder: Path, stamp, text, names, run_stamp: str,
                  min_n: int) -> list[Path]:
    """indicators.parquet, the Öppna jämförelser workbook, the goal-setting workbooks and the
    adjusted cells' files, on a cursor of `con` (another connection to the same database, for
    another thread; no progress bar, as on `con`)."""
    with con.cursor() as cursor:
        cursor.execute(query("quiet_progress"))
        paths = [_write_parquet(cursor, folder / PARQUET_FILE, names)]
        peer_group_of = dict(cursor.execute(query("peer_group_of_each")).fetchall())
        oj = write_oj_workbook(cursor, folder, run_stamp, min_n, peer_group_of, INDICATOR_VERSION)
        paths += [oj] if oj else []
        paths += _write_goal_workbooks(cursor, folder, stamp, text)
        paths += _write_adjusted(cursor, folder, stamp, text, names)
    return paths


#: rows per row group of the Parquet files (fixed, so that the bytes depend on the rows only)
PARQUET_ROW_GROUP = 262_144


def _write_parquet(con, path: Path, names) -> Path:
    """indicators.parquet, streamed: the rows pass period by period (DuckDB sorts one period at a
    time) and in batches from DuckDB to row groups of `PARQUET_ROW_GROUP` rows (the whole table in
    memory took 1 GB at 1 M follow-ups). The row groups run across periods, so the bytes are
    those of one sorted query."""
    types = {"numerator": pa.int64(), "denominator": pa.int64(), "quartile": pa.int32()}
    periods = [period for (period,) in con.execute(query("export_parquet_periods")).fetchall()]
    with _names_registered(con, names), replacing(path) as temporary:
        every = con.sql(query("export_parquet_rows", keys=CELL_KEY, figures=_FIGURES, by_period=False))
        schema = pa.schema([pa.field(f.name, types.get(f.name, pa.float64() if pa.types.is_floating(f.type)
                                                       else pa.string())) for f in every.limit(0).to_arrow_table().schema])
        one_period = query("export_parquet_rows", keys=CELL_KEY, figures=_FIGURES, by_period=True)

        def batches() -> Iterator[pa.RecordBatch]:
            for period in periods:
                yield from con.sql(one_period, params={"period": period}).to_arrow_reader(PARQUET_ROW_GROUP)

        # parquet holds no write time: only `created_by` (version)
        with pq.ParquetWriter(temporary, schema, compression="zstd") as writer:
            for group in fixed_row_groups(batches(), PARQUET_ROW_GROUP):
                writer.write_table(group.cast(schema), row_group_size=PARQUET_ROW_GROUP)
    return path


def fixed_row_groups(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.Table]:
    """The rows of `batches` again as tables of exactly `size` rows (the last one fewer; none when
    there are no rows), whatever the batches' own sizes: the row groups, and with them the file's
    bytes, depend on the rows only."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        if not batch.num_rows:
            continue
        pending.append(batch)
        held += batch.num_rows
        while held >= size:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, size).combine_chunks()
            rest = table.slice(size)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield pa.Table.from_batches(pending).combine_chunks()


# --- xlsx --------------------------------------------------------------------------------------


def write_workbook(path: Path, stamp: dt.datetime, about_title: str, about: list[tuple[str, str]],
                    columns, sheets: list[tuple[str, int, Callable[[], Iterable[Row]]]]) -> Path:
    """An "about" sheet (key, text) and data sheets (title, row count, rows) sharing `columns`."""
    workbook = Workbook(write_only=True)
    info = workbook.create_sheet(about_title)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 28, 110
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for key, value in about:
        info.append([styled_cell(info, key, font=bold, alignment=wrap), styled_cell(info, value, alignment=wrap)])
    style = {kind: styled_cell(info, None, number_format=fmt).style_id
             for kind, fmt in ((COUNT, "0"), (PERCENT, "0.0"), (MEAN, "0.00"), (RATIO, "0.00"))}
    mark = styled_cell(info, None, alignment=Alignment(horizontal="right")).style_id
    attrs = {unit: [f' s="{style[unit if kind == VALUE else kind]}"' if kind != TEXT else ""
                    for _, kind, _ in columns] for unit in _VALUE_FORMATS}
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    fill = {}
    for index, (title, count, rows_of) in enumerate(sheets, start=2):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{letters[-1]}{count + 1}"
        for letter, (_, _, width) in zip(letters, columns):
            sheet.column_dimensions[letter].width = width
        sheet.append([styled_cell(sheet, EXPORT_HEADERS[key], font=bold) for key, _, _ in columns])
        fill[f"xl/worksheets/sheet{index}.xml"] = (
            count, lambda rows_of=rows_of: _sheet_xml(rows_of(), letters, attrs, f' s="{mark}"'))
    workbook.properties.created = workbook.properties.modified = stamp
    with replacing(path) as temporary:
        ExcelWriter(workbook, FixedZip(temporary, stamp, fill, len(columns))).save()
    return path


def _sheet_xml(rows: Iterable[Row], letters: list[str], attrs: dict, mark: str) -> Iterator[str]:
    """The <row> elements from row 2 on, in chunks (inline strings, as openpyxl writes them). The
    hot loop of the exports (5 million cells in the breakdown workbook at 2 M follow-ups): a cell's
    opening is made once per column, a float's text is its repr unless that has an exponent
    (`decimal_text` then), a text's cell once per distinct text."""
    texts: dict[str, str] = {}  # a string's cell after its reference (labels repeat a lot)
    heads = [f'<c r="{letter}' for letter in letters]
    chunk = []
    for r, (values, unit) in enumerate(rows, start=2):
        number = str(r)
        cells = []
        for head, style, value in zip(heads, attrs[unit], values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if (text := texts.get(value)) is None:
                    s = mark if value == SUPPRESSED_MARK else ""
                    text = texts[value] = f'" t="inlineStr"{s}><is><t>{escape(neutral(value))}</t></is></c>'
                cells.append(head + number + text)
            else:
                if kind is int:
                    figure = str(value)
                elif kind is float and isfinite(value):
                    figure = repr(value)
                    if "e" in figure:
                        figure = decimal_text(value)
                else:
                    figure = decimal_text(value)  # NaN and infinity are refused there
                cells.append(f'{head}{number}"{style}><v>{figure}</v></c>')
        chunk.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(chunk) == 5_000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
