"""The published exports (`uiv_core.publish.exports`) on the sample data, read back with openpyxl, pandas,
the csv bytes and pyarrow: layout, formats, `..` exactly where a published value is NULL, row
counts, byte-for-byte determinism, and no hidden number in the row of a suppressed cell.

The full indicatorer.xlsx holds ~25 million cells, too many for openpyxl to read in a test (~50 000
cells a second): its sheets are read with openpyxl for names, headers, sizes and the first rows,
and compared cell by cell with the csv by a plain scan of the sheet XML. Every cell of a workbook
is read with openpyxl on a small export of a subset of the published tables.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import unescape

import duckdb
import numpy as np
import openpyxl
from openpyxl.utils import get_column_letter
import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import build_sample_store
from uiv_core.publish import exports
from uiv_core.sql import query
from uiv_core.publish.exports import GOAL_COLUMNS, INDICATOR_COLUMNS, write_exports
from uiv_schema.indicators import INDICATOR_BY_ID
from uiv_schema.labels import EXPORT_HEADERS, NOT_CALCULABLE, SUPPRESSED_MARK, TARGET_GROUP_LABELS, TARGET_RULE_LABELS
from uiv_schema.results import CELL_KEY

KEYS = list(CELL_KEY)
FIGURES = ["numerator", "denominator", "value", "ci95_low", "ci95_high", "ci998_low", "ci998_high"]
RUN_STAMP = "2026-11-23T18:30:07"
STAMPED = ("docProps/core.xml", "xl/worksheets/sheet1.xml")  # properties, the about sheet
HEADERS = [EXPORT_HEADERS[key] for key, _, _ in INDICATOR_COLUMNS]
GOAL_HEADERS = [EXPORT_HEADERS[key] for key, _, _ in GOAL_COLUMNS]
H = {key: EXPORT_HEADERS[key] for key, _, _ in INDICATOR_COLUMNS}
NUMERIC = [H[key] for key, kind, _ in INDICATOR_COLUMNS if kind != exports.TEXT]
FORMATS = {"Procent": "0.0", "Medelvärde": "0.00"}

_PUBLISHED_SQL = f"""
SELECT p.*, i.numerator AS h_numerator, i.denominator AS h_denominator, i.value AS h_value,
       i.ci95_low AS h_ci95_low, i.ci95_high AS h_ci95_high, i.ci998_low AS h_ci998_low,
       i.ci998_high AS h_ci998_high, c.benchmark_value AS country_value
FROM published_indicators p LEFT JOIN indicators i USING ({", ".join(KEYS)})  -- a cell without follow-ups has no internal row
LEFT JOIN (SELECT * FROM published_comparisons WHERE benchmark_unit_type = 'riket') c
     USING ({", ".join(KEYS)})
WHERE {{scope}}
ORDER BY {", ".join(f"p.{k}" for k in KEYS)}
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    con = build_sample_store(folder, publish=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def written(db, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "exports"
    return out, write_exports(db, out, RUN_STAMP)


@pytest.fixture(scope="module")
def published(db):
    """published_indicators in the workbook's and CSV's scope (the latest rolling four quarters
    and the latest year) + the country comparison + the hidden figures (h_*), in export order."""
    return db.execute(_PUBLISHED_SQL.format(scope=exports.SCOPE)).fetchdf()


@pytest.fixture(scope="module")
def published_all(db):
    """As `published`, every published period (the parquet file's scope)."""
    return db.execute(_PUBLISHED_SQL.format(scope="TRUE")).fetchdf()


def test_the_csv_scope_is_the_latest_rolling_period_and_every_complete_year(published, published_all):
    # the demo holds 2024Q4-2026Q3: the only complete year is 2025 (2026 is not published); the
    # years without breakdowns (indicatorer_kalenderar.xlsx), the rolling window with them
    assert set(zip(published["period_type"], published["period"])) == {("rolling4q", "2026Q3"), ("year", "2025")}
    assert set(published.loc[published["period_type"] == "year", "breakdown"]) == {"alla"}
    assert published.loc[published["period_type"] == "rolling4q", "breakdown"].nunique() == 5
    assert len(published_all) > 2 * len(published)


#: the three indicator workbooks and which rows of the CSV each holds
WORKBOOKS = dict(exports.WORKBOOKS)


def _part(period_type: str, breakdown: str) -> str:
    """The workbook part of a row, from its period type and breakdown (raw codes or Swedish labels)."""
    if period_type in ("year", "Kalenderår"):
        return "years"
    return "latest" if breakdown in ("alla", "Alla") else "breakdowns"


@pytest.fixture(scope="module")
def csv_rows(written):
    return pd.read_csv(written[0] / "indicatorer.csv", sep=";", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)


@pytest.fixture(scope="module")
def small(db, tmp_path_factory):
    """A subset of the tables (a rolling window and a year; the country, two municipalities, a peer
    group) in a database of its own, exported: small enough for openpyxl to read every cell."""
    con = duckdb.connect()
    units = "unit_code IN ('0000', '0180', '0127', 'Storstäder')"
    for table, where in (("published_indicators", f"period IN ('2026Q3', '2026') AND {units}"),
                         ("published_comparisons", f"period IN ('2026Q3', '2026') AND {units}"),
                         ("indicators", f"period IN ('2026Q3', '2026') AND {units}"),
                         ("published_baselines", units), ("peer_groups", "TRUE")):
        con.register("data", db.sql(f"SELECT * FROM {table} WHERE {where}").to_arrow_table())
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM data")
        con.unregister("data")
    out = tmp_path_factory.mktemp("small")
    write_exports(con, out, RUN_STAMP)
    yield con, out
    con.close()


def _numbers(column: pd.Series) -> np.ndarray:
    text = column.where(~column.isin(["", SUPPRESSED_MARK]))
    return pd.to_numeric(text.str.replace(",", ".", regex=False)).to_numpy(dtype="float64")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leaks(frame_numbers: dict[str, np.ndarray], hidden: pd.DataFrame, mask: np.ndarray,
           allowed: tuple[str, ...] = ()) -> dict[str, int]:
    """Per column: suppressed rows (mask) where the column holds one of the row's hidden numbers."""
    found = {}
    for name, numbers in frame_numbers.items():
        if name in allowed:
            continue
        hits = np.zeros(len(numbers), dtype=bool)
        for column in hidden:
            hits |= numbers == hidden[column].to_numpy(dtype="float64", na_value=np.nan)
        if (n := int((hits & mask).sum())):
            found[name] = n
    return found


def _sheet_rows(path: Path, sheet_index: int) -> Iterator[list[tuple[str, str]]]:
    """The rows after the header of sheet N: (column letter, text) of each cell with a value."""
    row = re.compile(r'<row r="(\d+)">(.*?)</row>')
    cell = re.compile(r'<c r="([A-Z]+)\d+"[^>]*>(?:<is><t>|<v>)([^<]*)</(?:t></is|v)></c>')
    with zipfile.ZipFile(path) as archive, archive.open(f"xl/worksheets/sheet{sheet_index}.xml") as xml:
        rest = b""
        while chunk := xml.read(1 << 22):
            text = rest + chunk
            cut = text.rfind(b"</row>") + len(b"</row>")  # whole rows (and whole UTF-8 characters)
            text, rest = text[:cut].decode(), text[cut:]
            for number, content in row.findall(text):
                if number != "1":
                    cells = cell.findall(content)
                    yield [(c, unescape(v)) for c, v in cells] if "&" in content else cells
        assert b"<row" not in rest


# --- files -------------------------------------------------------------------------------------


def test_every_file_is_written_with_one_goal_workbook_per_municipality_with_a_baseline(db, written):
    out, paths = written
    units = [u for (u,) in db.execute(
        "SELECT DISTINCT unit_code FROM published_baselines ORDER BY unit_code").fetchall()]
    assert [p.name for p in paths] == ["indicatorer.xlsx", "indicatorer_uppdelningar.xlsx",
                                      "indicatorer_kalenderar.xlsx", "indicatorer.csv", "indicators.parquet",
                                      "oppna_jamforelser_2026Q3.xlsx", *(f"malunderlag_{u}.xlsx" for u in units),
                                      "indikatorer_justerade.xlsx", "adjusted.parquet"]
    assert len(units) == 24 and sorted(out.iterdir()) == sorted(paths)  # no temporary left


def test_writing_twice_gives_the_same_bytes(db, written, tmp_path):
    out, paths = written
    again = write_exports(db, tmp_path / "again", RUN_STAMP)
    assert [p.name for p in again] == [p.name for p in paths]
    for first, second in zip(paths, again):
        assert _sha(first) == _sha(second), first.name


def test_the_run_stamp_is_only_on_the_about_sheets(small, tmp_path):
    con, out = small
    other = write_exports(con, tmp_path, "2027-01-02T03:04:05")
    for path in other:
        first = out / path.name
        if path.suffix != ".xlsx":
            assert _sha(first) == _sha(path), path.name  # csv and parquet do not depend on it
            assert b"18:30:07" not in first.read_bytes()
            continue
        with zipfile.ZipFile(first) as a, zipfile.ZipFile(path) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert (a.read(name) != b.read(name)) == (name in STAMPED), name
                assert (b"18:30:07" in a.read(name)) == (name in STAMPED), name
            assert {i.date_time for i in a.infolist()} == {(2026, 11, 23, 18, 30, 6)}  # 2 s steps
    with pytest.raises(ValueError, match="ISO 8601"):
        write_exports(con, tmp_path, "yesterday")


# --- csv ---------------------------------------------------------------------------------------


def test_the_csv_is_what_swedish_excel_opens(written):
    raw = (written[0] / "indicatorer.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(HEADERS).encode() + b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n") and raw.endswith(b"\r\n")
    head = pd.read_csv(written[0] / "indicatorer.csv", sep=";", decimal=",", encoding="utf-8-sig",
                       nrows=2000, na_values=[SUPPRESSED_MARK], dtype={H["unit_code"]: str, H["period"]: str})
    for name in (H["value"], H["ci95_low"], H["numerator"]):
        assert head[name].dtype.kind in "fi", name  # decimal comma read as numbers
    assert head[H["value"]].notna().any()
    # a code of digits is a text formula, so that a spreadsheet keeps 0126 (Stockholm's county 0001)
    assert head[H["unit_code"]].str.fullmatch(r'="\d{4}"|[^=\d].*').all()
    assert '="0001"' in set(head[H["unit_code"]]) or '="0000"' in set(head[H["unit_code"]])


def _as_published(published: pd.DataFrame, key: str) -> np.ndarray:
    """A column's doubles rounded as the CSV shows them (counts stay whole)."""
    values = published[key].to_numpy(dtype="float64", na_value=np.nan)
    if key in ("numerator", "denominator"):
        return values
    decimals = published["indicator_id"].map(lambda i: exports.CSV_DECIMALS[INDICATOR_BY_ID[i].unit]).to_numpy()
    return np.array([float(f"{v:.{d}f}") if v == v else np.nan for v, d in zip(values, decimals)])


def test_csv_rows_are_the_published_rows_with_dots_exactly_where_values_are_null(csv_rows, published):
    assert list(csv_rows.columns) == HEADERS and len(csv_rows) == len(published)
    for key in ("period", "indicator_id"):
        assert (csv_rows[H[key]].to_numpy() == published[key].to_numpy()).all(), key
    assert (csv_rows[H["unit_code"]].to_numpy() == published["unit_code"].map(exports.code_as_text).to_numpy()).all()
    assert (csv_rows[H["target_group"]] == published["target_group"].map(TARGET_GROUP_LABELS)).all()
    suppressed = published["suppression"].notna().to_numpy()
    for key in FIGURES:
        assert ((csv_rows[H[key]] == SUPPRESSED_MARK).to_numpy() == published[key].isna().to_numpy()).all()
        assert (published[key].isna().to_numpy() == suppressed).all()
        numbers = _numbers(csv_rows[H[key]])
        assert np.array_equal(numbers, _as_published(published, key), equal_nan=True), key
        if key == "value":  # one decimal for a share, two for a mean, as on the pages
            assert csv_rows[H[key]].str.fullmatch(r"\.\.|\d+,\d|\d+,\d\d").all()
    municipal = (published["unit_type"] == "kommun").to_numpy()
    country_hidden = municipal & published["country_value"].isna().to_numpy()
    assert ((csv_rows[H["country_value"]] == SUPPRESSED_MARK).to_numpy() == country_hidden).all()
    assert np.array_equal(_numbers(csv_rows[H["country_value"]]), _as_published(published, "country_value"),
                          equal_nan=True)
    assert (csv_rows.loc[~municipal, H["significance"]] == "").all()
    assert (csv_rows.loc[municipal & suppressed, H["colour"]] == "Inget värde").all()


def test_no_hidden_number_is_in_the_csv_row_of_a_suppressed_cell(csv_rows, published):
    hidden = published[[f"h_{k}" for k in FIGURES]]
    numbers = {name: _numbers(csv_rows[name]) for name in NUMERIC}
    mask = published["suppression"].notna().to_numpy()
    assert mask.sum() > 100_000
    # the country's, county's and group's own published values may equal a hidden one (say 100 %):
    # each is its own cell
    benchmarks = (H["country_value"], H["county_value"], H["group_value"])
    assert _leaks(numbers, hidden, mask, allowed=benchmarks) == {}
    found = set(_leaks(numbers, hidden, mask))
    assert H["country_value"] in found and found <= set(benchmarks)  # the check does see numbers


# --- parquet -----------------------------------------------------------------------------------


def test_the_parquet_row_groups_depend_on_the_rows_only_not_on_the_batches_they_came_in():
    """The Parquet files are streamed from DuckDB's batches; the row groups (and so the bytes) are
    cut at fixed sizes whatever those batches were."""
    import pyarrow as pa

    values = list(range(23))

    def batches(sizes):
        at = 0
        for size in sizes:
            yield pa.record_batch({"x": pa.array(values[at:at + size], pa.int64())})
            at += size

    for sizes in ([23], [1] * 23, [5, 0, 7, 11], [10, 13]):
        groups = list(exports.fixed_row_groups(batches(sizes), 10))
        assert [g.num_rows for g in groups] == [10, 10, 3], sizes
        assert [v for g in groups for v in g.column("x").to_pylist()] == values
        assert all(g.column("x").num_chunks == 1 for g in groups)
    assert list(exports.fixed_row_groups(batches([0]), 10)) == []
    assert [g.num_rows for g in exports.fixed_row_groups(batches([20]), 10)] == [10, 10]


def test_the_parquet_is_the_published_table_with_english_names_and_no_write_time(written, published_all):
    published = published_all
    path = written[0] / "indicators.parquet"
    table = pq.read_table(path)
    assert table.column_names == [*KEYS[:4], "unit_name", *KEYS[4:], "indicator_name", "measure",
                                  *FIGURES, "suppression", "country_value", "significance", "quartile",
                                  "colour", "funnel", "trend", "county_value", "county_significance",
                                  "group_value", "group_significance"]
    assert set(pq.read_metadata(path).metadata) == {b"ARROW:schema"}  # no pandas index, no time
    frame = table.to_pandas()
    assert len(frame) == len(published)
    for column in [*KEYS, *FIGURES, "suppression", "country_value"]:
        pd.testing.assert_series_equal(frame[column], published[column], check_dtype=False,
                                       check_names=False, obj=column)
    hidden = published[[f"h_{k}" for k in FIGURES]]
    numbers = {c: frame[c].to_numpy(dtype="float64", na_value=np.nan)
               for c in [*FIGURES, "country_value", "county_value", "group_value", "quartile"]}
    assert _leaks(numbers, hidden, frame["suppression"].notna().to_numpy(),
                  allowed=("country_value", "county_value", "group_value")) == {}
    # the benchmarks as the comparisons hold them: Stockholm against Stockholm county and Storstäder
    stockholm = frame[(frame.unit_code == "0180") & (frame.breakdown == "alla") & frame.value.notna()]
    assert stockholm.county_significance.notna().all() and stockholm.group_significance.notna().all()
    assert set(frame["measure"]) == {"percent", "mean"} and frame["unit_name"].notna().all()


# --- indicatorer.xlsx --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_each_workbook_has_an_about_sheet_and_one_sheet_per_target_group(written, published, csv_rows, name):
    path = written[0] / name
    part = WORKBOOKS[name]
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Om filen", *TARGET_GROUP_LABELS.values()]
    about = {row[0]: row[1] for row in book["Om filen"].iter_rows(values_only=True)}
    assert about["Körning"] == RUN_STAMP and about["Minsta antal (n)"] == "10"
    assert about["Metodversion"] == "indicators-v1" and "docs/methods.md" in about["Metod"]
    # the truth about every file: its own rows, the periods, the incomplete year by name
    assert {"latest": "2025Q4–2026Q3", "breakdowns": "uppdelade", "years": "(2025)"}[part] in about["Innehåll"]
    assert all(other in about["Filerna"] for other in [*WORKBOOKS, "indicatorer.csv", "indicators.parquet"])
    assert "Kalenderåret 2026 (kv 1–3) är inte komplett" in about["Perioder"]
    mine = published[[_part(t, b) == part for t, b in zip(published["period_type"], published["breakdown"])]]
    counts = mine["target_group"].value_counts()
    csv_mine = csv_rows[[_part(t, b) == part for t, b in zip(csv_rows[H["period_type"]], csv_rows[H["breakdown"]])]]
    kinds = {EXPORT_HEADERS[k]: kind for k, kind, _ in INDICATOR_COLUMNS}
    for group, title in TARGET_GROUP_LABELS.items():
        sheet = book[title]
        assert sheet.max_row == counts[group] + 1 and sheet.max_column == len(HEADERS)
        rows = sheet.iter_rows(max_row=301)
        assert [c.value for c in next(rows)] == HEADERS
        expected = csv_mine[csv_mine[H["target_group"]] == title].head(300)
        for row, (_, want) in zip(rows, expected.iterrows(), strict=True):
            measure = row[HEADERS.index(H["measure"])].value
            for cell, header in zip(row, HEADERS):
                if header == H["unit_code"]:
                    assert exports.code_as_text(cell.value) == want[header]
                elif isinstance(cell.value, float):
                    # the sheet holds the double (shown rounded by its number format), the csv the rounding
                    text = want[header].replace(",", ".")
                    assert f"{cell.value:.{len(text.split('.')[1])}f}" == text, (title, header)
                else:
                    assert ("" if cell.value is None else str(cell.value)) == want[header], (title, header)
                if isinstance(cell.value, (int, float)):
                    assert cell.number_format == (FORMATS[measure] if kinds[header] == exports.VALUE else "0")
    book.close()


def test_the_workbooks_together_are_the_csv_cell_by_cell(written):
    """A scan of the sheet XML (the files openpyxl reads above): the three workbooks hold the CSV's
    rows, each its part, in the same order, with the same cells and texts."""
    letters = [openpyxl.utils.get_column_letter(i + 1) for i in range(len(HEADERS))]
    numeric = [HEADERS.index(name) for name in NUMERIC]
    group, code = HEADERS.index(H["target_group"]), HEADERS.index(H["unit_code"])
    period_type, breakdown = HEADERS.index(H["period_type"]), HEADERS.index(H["breakdown"])
    by_group: dict[tuple[str, str], list[list[str]]] = {}
    with open(written[0] / "indicatorer.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        assert next(reader) == HEADERS
        for row in reader:
            for i in numeric:  # the csv's decimal comma, as a number in the sheet
                if row[i] != SUPPRESSED_MARK:
                    row[i] = row[i].replace(",", ".")
            if row[code].startswith('="'):  # the csv's text formula, a plain text in the sheet
                row[code] = row[code][2:-1]
            by_group.setdefault((_part(row[period_type], row[breakdown]), row[group]), []).append(row)
    seen = 0
    for name, part in WORKBOOKS.items():
        path = written[0] / name
        for index, title in enumerate(TARGET_GROUP_LABELS.values(), start=2):
            rows = zip(_sheet_rows(path, index), by_group.get((part, title), []), strict=True)
            for number, (got, want) in enumerate(rows, start=2):
                want = [(c, v) for c, v in zip(letters, want) if v]
                # a value is the double in the sheet, rounded as published in the csv
                got = [(c, f"{float(v):.{len(w.split('.')[1])}f}" if "." in w and w != v else v)
                       for (c, v), (_, w) in zip(got, want)] if len(got) == len(want) else got
                assert got == want, (name, title, number)
                seen += 1
    assert seen == sum(map(len, by_group.values()))


def test_every_cell_of_a_small_workbook(small):
    """openpyxl on every cell: frozen header, filter, widths, number formats, `..`, no leak."""
    con, out = small
    scope = query("_export_scope", part="latest")
    published = con.execute(_PUBLISHED_SQL.format(scope=scope)).fetchdf()
    book = openpyxl.load_workbook(out / "indicatorer.xlsx")
    assert book.sheetnames[0] == "Om filen" and book.active.title == "Om filen"
    kinds = {EXPORT_HEADERS[k]: kind for k, kind, _ in INDICATOR_COLUMNS}
    seen = 0
    for group, title in TARGET_GROUP_LABELS.items():
        sheet = book[title]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADERS))}{sheet.max_row}"
        assert sheet.column_dimensions["J"].width == 44
        rows = list(sheet.iter_rows())
        assert [c.value for c in rows[0]] == HEADERS and all(c.font.bold for c in rows[0])
        expected = published[published["target_group"] == group].reset_index(drop=True)
        assert len(rows) - 1 == len(expected) > 0
        for row, (_, cell) in zip(rows[1:], expected.iterrows()):
            values = {header: c for header, c in zip(HEADERS, row)}
            hidden = {cell[f"h_{k}"] for k in FIGURES if pd.notna(cell[f"h_{k}"])}
            suppressed = pd.notna(cell["suppression"])
            for key in FIGURES:
                value = values[H[key]].value
                assert (value == SUPPRESSED_MARK) == suppressed
                assert suppressed or value == cell[key]
            assert values[H["unit_code"]].value == cell["unit_code"] and values[H["period"]].data_type == "s"
            for header, c in values.items():
                if isinstance(c.value, (int, float)):
                    fmt = FORMATS[values[H["measure"]].value] if kinds[header] == exports.VALUE else "0"
                    assert c.number_format == fmt, header
                    if suppressed and c.value in hidden:  # only a benchmark's own published value
                        assert header in (H["country_value"], H["county_value"], H["group_value"]), header
                        assert header != H["country_value"] or c.value == cell["country_value"]
                elif kinds[header] == exports.TEXT:
                    assert c.number_format == "General"
            seen += 1
    assert seen == len(published) and published["suppression"].notna().sum() > 100


def test_a_target_group_beyond_the_row_limit_continues_on_a_second_sheet(small, tmp_path, monkeypatch):
    con, _ = small
    monkeypatch.setattr(exports, "MAX_SHEET_ROWS", 2000)
    write_exports(con, tmp_path, RUN_STAMP)
    book = openpyxl.load_workbook(tmp_path / "indicatorer_uppdelningar.xlsx", read_only=True)
    counts = dict(con.execute(f"""SELECT target_group, count(*) FROM published_indicators p
        WHERE {query("_export_scope", part="breakdowns")} GROUP BY ALL""").fetchall())
    names = ["Om filen"]
    for group, title in TARGET_GROUP_LABELS.items():
        parts = max(1, -(-counts.get(group, 0) // 2000))
        names += [title] + [f"{title} ({i})" for i in range(2, parts + 1)]
    assert book.sheetnames == names and max(map(len, names)) <= 31 and len(names) > 7
    assert [book[n].max_row - 1 for n in names[1:]].count(2000) == len(names) - 7
    assert sum(book[n].max_row - 1 for n in names[1:]) == sum(counts.values())
    book.close()


# --- malunderlag -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def goals(db, written):
    baselines = db.execute("SELECT * FROM published_baselines").fetchdf()
    hidden = db.execute("""
        SELECT b.unit_code, b.target_group, b.indicator_id, i.value, i.denominator, i.ci95_low, i.ci95_high
        FROM published_baselines b JOIN indicators i ON i.unit_type = 'kommun' AND i.unit_code = b.unit_code
         AND i.period = b.period AND i.period_type = 'rolling4q' AND i.breakdown = 'alla'
         AND i.target_group = b.target_group AND i.indicator_id = b.indicator_id""").fetchdf()
    baselines = baselines.merge(hidden, on=["unit_code", "target_group", "indicator_id"], how="left")
    books = {code: openpyxl.load_workbook(written[0] / f"malunderlag_{code}.xlsx")
             for code in sorted(set(baselines["unit_code"]))}
    return baselines, books


def _goal_sheet(book) -> pd.DataFrame:
    rows = list(book["Målunderlag"].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def test_goal_workbooks_layout_and_explanation(goals):
    baselines, books = goals
    for code, book in books.items():
        assert book.sheetnames == ["Om underlaget", "Målunderlag"]
        about = [row for row in book["Om underlaget"].iter_rows(values_only=True)]
        assert about[0][1].endswith(f"({code})") and about[1] == ("Körning", RUN_STAMP)
        text = " ".join(v for _, v in about)
        assert "34 %" in text and "mer än 40 %" in text
        assert all(rule in text for rule in TARGET_RULE_LABELS.values())
        sheet = book["Målunderlag"]
        mine = baselines[baselines["unit_code"] == code]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{get_column_letter(len(GOAL_COLUMNS))}{len(mine) + 1}"
        header, *rows = list(sheet.iter_rows())
        assert [c.value for c in header] == GOAL_HEADERS and len(rows) == len(mine)
        for row in rows:
            indicator = INDICATOR_BY_ID[row[2].value]
            for c, (_, kind, _) in zip(row, GOAL_COLUMNS):
                if isinstance(c.value, (int, float)):
                    assert c.number_format == ("0" if kind == exports.COUNT else
                                               {"percent": "0.0", "mean": "0.00"}[indicator.unit])


def _goal_frames(goals):
    """Per municipality: its goal sheet's rows joined to its published baselines (and hidden figures)."""
    baselines, books = goals
    groups = {v: k for k, v in TARGET_GROUP_LABELS.items()}
    for code, book in books.items():
        frame = _goal_sheet(book)
        frame["target_group"] = frame["Målgrupp"].map(groups)
        mine = baselines[baselines["unit_code"] == code]
        merged = frame.merge(mine, left_on=["target_group", "Indikator-id"],
                             right_on=["target_group", "indicator_id"])
        assert len(merged) == len(frame) == len(mine)
        yield code, merged


def test_goal_rows_show_the_published_baselines_and_dots_for_suppressed(goals):
    rules = {v: k for k, v in TARGET_RULE_LABELS.items()}
    for _, merged in _goal_frames(goals):
        assert (merged["Regel"].map(rules) == merged["target_rule"]).all()
        suppressed = merged["suppression"].notna()
        for key in ("baseline_value", "baseline_n", "baseline_ci95_low", "baseline_ci95_high",
                    "min_detectable_change", "n_needed"):
            shown = merged[EXPORT_HEADERS[key]]
            assert ((shown == SUPPRESSED_MARK) == suppressed).all(), key
            shown, wanted = shown[~suppressed], merged.loc[~suppressed, key]
            # `..` means hidden only: a shown baseline without a figure says so in words
            assert ((shown == NOT_CALCULABLE) == wanted.isna()).all(), key
            assert (shown[wanted.notna()].astype(float) == wanted[wanted.notna()]).all(), key
        for key in ("country_value", "county_value"):  # published cells: `..` when suppressed
            shown, wanted = merged[EXPORT_HEADERS[key]], merged[key]
            assert ((shown == SUPPRESSED_MARK) == wanted.isna()).all()
            assert (shown[wanted.notna()] == wanted[wanted.notna()]).all()
        assert merged.loc[suppressed, "Föreslaget mål"].isna().all()


def _goal_leaks(goals) -> dict[str, int]:
    """Per column: suppressed rows where the column holds one of the row's hidden numbers."""
    found: dict[str, int] = {}
    for _, merged in _goal_frames(goals):
        for _, row in merged[merged["suppression"].notna()].iterrows():
            hidden = {row[k] for k in ("value", "denominator", "ci95_low", "ci95_high") if pd.notna(row[k])}
            for header in GOAL_HEADERS:
                if isinstance(row[header], float | int) and row[header] in hidden:
                    found[header] = found.get(header, 0) + 1
    return found


THRESHOLD_AND_MEDIAN = {EXPORT_HEADERS["best_quartile_threshold"], EXPORT_HEADERS["peer_median"],
                        EXPORT_HEADERS["best_published_value"]}


def test_no_hidden_number_is_in_the_goal_row_of_a_suppressed_baseline(goals):
    """Its own figures are `..`; the country and county values are their own published cells
    (checked above); the threshold and the peer median: see the next test."""
    allowed = {EXPORT_HEADERS["country_value"], EXPORT_HEADERS["county_value"], *THRESHOLD_AND_MEDIAN}
    assert set(_goal_leaks(goals)) <= allowed


def test_thresholds_and_peer_medians_come_from_published_values_only(db):
    """A hidden cell's value may equal a threshold by coincidence (e.g. 75 % = 3/4 = 6/8), so the
    property that matters is checked: every threshold is a published municipal value of its
    target group and indicator, and every peer median is the median of published member values."""
    for column in ("best_quartile_threshold", "best_published_value"):  # a threshold, a target's ceiling
        wrong = db.execute(f"""
            SELECT count(*) FROM published_baselines b
            WHERE b.{column} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM published_indicators p WHERE p.unit_type = 'kommun' AND p.period = b.period
                  AND p.period_type = 'rolling4q' AND p.breakdown = 'alla' AND p.target_group = b.target_group
                  AND p.indicator_id = b.indicator_id AND p.value = b.{column})""").fetchall()
        assert wrong == [(0,)], column
    medians = db.execute("""
        SELECT count(*) FROM published_baselines b WHERE b.peer_median IS NOT NULL AND b.peer_median <> (
            SELECT median(p.value) FROM published_indicators p JOIN peer_groups g ON g.municipality_code = p.unit_code
            WHERE g.peer_group = b.peer_group AND p.unit_type = 'kommun' AND p.period = b.period
              AND p.period_type = 'rolling4q' AND p.breakdown = 'alla' AND p.target_group = b.target_group
              AND p.indicator_id = b.indicator_id AND p.value IS NOT NULL)""").fetchall()
    assert medians == [(0,)]
    assert db.execute("SELECT count(peer_median) FROM published_baselines").fetchall()[0][0] > 0


# --- oppna_jamforelser_<period>.xlsx -----------------------------------------------------------


def test_the_oj_workbook_has_one_row_per_municipality_coloured_by_quartile(db, written):
    """Read back with openpyxl: per target group one row per municipality with published cells,
    grouped by county after the country; fills are the quartile colours of the published
    comparisons; `..` exactly where the cell is hidden; the significance sign in the number format."""
    from uiv_core.publish.charts import OJ_COLOURS
    from uiv_schema.indicators import INDICATORS
    from uiv_schema.municipalities import municipalities

    book = openpyxl.load_workbook(written[0] / "oppna_jamforelser_2026Q3.xlsx")
    assert book.sheetnames[0] == "Om filen" and book.sheetnames[-1] == "Definitioner"
    assert len(list(book["Definitioner"].iter_rows())) == 1 + len(INDICATORS)
    cells = db.execute("""
        SELECT p.unit_type, p.unit_code, p.target_group, p.indicator_id, p.value, p.suppression, c.colour, c.significance
        FROM published_indicators p LEFT JOIN published_comparisons c
          ON c.period = p.period AND c.period_type = p.period_type AND c.unit_code = p.unit_code
         AND c.unit_type = p.unit_type AND c.target_group = p.target_group AND c.breakdown = p.breakdown
         AND c.breakdown_value = p.breakdown_value AND c.indicator_id = p.indicator_id AND c.benchmark_unit_type = 'riket'
        WHERE p.period_type = 'rolling4q' AND p.period = '2026Q3' AND p.breakdown = 'alla'
          AND p.unit_type IN ('kommun', 'lan', 'riket')""").fetchdf()
    sign = {"bättre": '" +"', "sämre": '" −"', "likvärdig": '" ="'}
    checked = hidden = filled = 0
    for group, title in TARGET_GROUP_LABELS.items():
        sheet = book[title]
        rows = list(sheet.iter_rows())
        header = [c.value for c in rows[0]]
        assert header[:3] == ["Kod", "Kommun / län", "Kommungrupp"] and len(header) == 3 + len(INDICATORS)
        mine = cells[cells["target_group"] == group]
        codes = [r[0].value for r in rows[1:]]
        municipal = sorted(set(mine.loc[mine["unit_type"] == "kommun", "unit_code"]))
        assert sorted(c for c in codes if not c.startswith("00")) == municipal  # one row each
        assert codes[0] == "0000"
        # grouped by county: each municipality comes after its own county's row
        county = None
        for code in codes[1:]:
            if code.startswith("00"):
                county = code[2:]
            else:
                assert municipalities()[code].county_code == county, code
        index = {(r.unit_code, r.indicator_id): r for r in mine.itertuples()}
        for row in rows[1:]:
            code = row[0].value
            for indicator, cell in zip(INDICATORS, row[3:]):
                published = index[(code, indicator.id)]
                if pd.notna(published.suppression):
                    assert cell.value == ".."
                    hidden += 1
                else:
                    assert cell.value == pytest.approx(published.value, abs=1e-12)
                    assert cell.number_format.endswith(sign.get(published.significance, "0"))
                colour = published.colour if not code.startswith("00") and indicator.polarity and pd.notna(
                    published.colour) else None
                if colour:
                    assert cell.fill.fgColor.rgb[-6:] == OJ_COLOURS[colour].lstrip("#").upper()
                    filled += 1
                else:
                    assert cell.fill.fill_type is None
                checked += 1
    assert checked > 5000 and hidden > 500 and filled > 1000


# --- a real spreadsheet opens the CSV ----------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)")
def test_libreoffice_swedish_csv_import_keeps_codes_as_text_and_reads_numbers(small, tmp_path):
    """LibreOffice Calc's CSV import with Swedish settings (semicolon, UTF-8, Swedish locale), as a
    double-click would open it: 0126 stays 0126 (not 126), values and limits are numbers."""
    import subprocess

    _, out = small
    source = out / "indicatorer.csv"
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    '--infilter=CSV:59,34,76,1,,1053', "--convert-to", "xlsx", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=300)
    # the values LibreOffice shows (a text formula's result is its text)
    book = openpyxl.load_workbook(tmp_path / "indicatorer.xlsx", data_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header = list(rows[0])
    codes = {r[header.index(H["unit_code"])] for r in rows[1:]}
    assert {"0127", "0180", "0000"} <= codes and all(isinstance(c, str) for c in codes), codes
    values = [r[header.index(H["value"])] for r in rows[1:]]
    assert any(isinstance(v, float) for v in values)
    assert all(isinstance(v, (int, float)) or v == ".." for v in values)
    numbers = [r[header.index(H["denominator"])] for r in rows[1:]]
    assert all(isinstance(v, int) or v == ".." for v in numbers)


def test_the_csv_statement_writes_each_cell_as_pythons_csv_module_writes_the_workbook_cells(db, tmp_path):
    """indicatorer.csv is written by DuckDB (export_csv_lines.sql). On the sample's rows, with
    awkward cells put in (a peer group named like a formula with ; and ", an unknown breakdown
    value starting with -, tiny and negative-zero figures, a half at the rounding place), each line
    is what the csv module makes of the workbook cells (`_indicator_rows`): rounded as published,
    decimal comma, `..`, ="0126", the apostrophe before a formula, quoting."""
    import csv
    import io

    from uiv_schema.municipalities import unit_name

    latest = db.execute(query("latest_rolling_window")).fetchall()[0][0]
    db.execute(query("export_cells", keys=KEYS, figures=FIGURES, part="all", latest_parameter=True),
               {"latest": latest})
    first = "SELECT rowid FROM export_cells WHERE {} ORDER BY ALL LIMIT {}"
    db.execute(f"""UPDATE export_cells SET unit_code = '=Grupp; "A"'
                   WHERE rowid IN ({first.format("unit_type = 'grupp'", 3)})""")
    db.execute(f"""UPDATE export_cells SET breakdown_value = '-okänd'
                   WHERE rowid IN ({first.format("unit_type = 'grupp'", 1)})""")
    shown = db.execute(first.format("value IS NOT NULL AND suppression IS NULL", 5)).fetchall()
    for (row,), value in zip(shown, [1e-05, -0.0, 0.25, 2.675, 1e16]):
        db.execute("UPDATE export_cells SET value = $v WHERE rowid = $r", {"v": value, "r": row})
    names = {(t, c): unit_name(t, c) for t, c in db.execute(query("published_units")).fetchall()}
    names[("grupp", '=Grupp; "A"')] = '=Grupp; "A"'
    with exports._names_registered(db, names), exports._labels_registered(db):
        lines = [line for (line,) in db.execute(query("export_csv_lines", keys=CELL_KEY, figures=FIGURES,
                                                      mark=SUPPRESSED_MARK)).fetchall()]
    expected = io.StringIO()
    writer = csv.writer(expected, delimiter=";", lineterminator="\r\n")
    code = [key for key, _, _ in INDICATOR_COLUMNS].index("unit_code")
    for values, unit in exports._indicator_rows(db, names, latest, part="all"):
        row = ["" if v is None else f"{v:.{exports.CSV_DECIMALS[unit]}f}".replace(".", ",") if isinstance(v, float)
               else exports.neutral(v) if isinstance(v, str) else str(v) for v in values]
        row[code] = exports.code_as_text(values[code])
        writer.writerow(row)
    assert "\r\n".join(lines) + "\r\n" == expected.getvalue()
    db.execute(query("drop_table", table="export_cells"))
    assert len(lines) > 1000
    assert any('"\'=Grupp; ""A"""' in line for line in lines) and any(";'-okänd;" in line for line in lines)
    assert any(";0,0;" in line for line in lines) and any(";-0,0;" in line for line in lines)
