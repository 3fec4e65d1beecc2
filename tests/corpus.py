"""A corpus of malformed exports, each with what the pipeline must make of it.

`build(folder)` writes the files and returns {file name: Expected}. An expectation is either a
refusal with its reason code, or loaded rows with the exact number quarantined (rows read =
loaded + quarantined). The identity numbers used are in `IDENTITY_NUMBERS`: none of them may
appear anywhere in the store, the logs or the outputs.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from conftest import SWEDISH_HEADER, valid_row, valid_rows, write_csv


@dataclass(frozen=True)
class Expected:
    status: str  # loaded / refused / unchanged
    reason: str | None = None  # the refusal's code
    loaded: int | None = None
    quarantined: int | None = None


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _number(yymmdd: str, serial: str) -> str:
    return yymmdd + serial + _luhn_digit(yymmdd + serial)


#: valid (Luhn) identity numbers in the forms they come in
_TEN = _number("811218", "987")  # 8112189876-like
_COORDINATION = _number("811278", "123")  # day + 60
_OLD = _number("121212", "121")  # over 100 years: written with '+'
IDENTITY_NUMBERS = {
    "short_dash": f"{_TEN[:6]}-{_TEN[6:]}",
    "long_plain": f"19{_TEN}",
    "long_dash": f"19{_TEN[:6]}-{_TEN[6:]}",
    "coordination": f"{_COORDINATION[:6]}-{_COORDINATION[6:]}",
    "plus_long": f"19{_OLD[:6]}+{_OLD[6:]}",
}


def _text(rows: list[dict], delimiter: str = ";", line_end: str = "\r\n") -> str:
    names = list(rows[0].keys())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([SWEDISH_HEADER.get(n, n) for n in names])
    for row in rows:
        writer.writerow([row.get(n, "") for n in names])
    return buffer.getvalue()


def _rows(prefix: str, n: int = 6, **changes) -> list[dict]:
    return [valid_row(record_id=f"{prefix}{i:04d}", **changes) for i in range(n)]


def _xlsx(path: Path, sheets: list[tuple[str, list[list]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def _table(rows: list[dict]) -> list[list]:
    names = list(rows[0].keys())
    return [[SWEDISH_HEADER.get(n, n) for n in names]] + [[r[n] for n in names] for r in rows]


def build(folder: Path) -> dict[str, Expected]:
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def put(name: str, content: bytes | str, outcome: Expected, encoding: str = "utf-8") -> None:
        data = content.encode(encoding) if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        expected[name] = outcome

    clean = _text(_rows("CL"))
    put("01_empty.csv", b"", Expected("refused", "unreadable"))
    put("02_header_only.csv", clean.splitlines()[0] + "\r\n", Expected("loaded", loaded=0, quarantined=0))
    put("03_binary_garbage.csv", bytes(random.Random(3).randrange(256) for _ in range(5000)),
        Expected("refused", "unreadable"))
    put("04_utf16.csv", codecs.BOM_UTF16_LE + clean.encode("utf-16-le"), Expected("refused", "unreadable"))
    missing = [{k: v for k, v in r.items() if k != "sex"} for r in _rows("MI")]
    put("05_missing_required_column.csv", _text(missing), Expected("refused", "missing_columns"))
    lines = _text(_rows("DU")).splitlines()
    put("06_duplicated_headers.csv", "\r\n".join([lines[0] + ";kon"] + [line + ";K" for line in lines[1:]]) + "\r\n",
        Expected("refused", "unreadable"))
    ragged = _text(_rows("RA")).splitlines()
    ragged[2] = ";".join(ragged[2].split(";")[:5])  # a row cut short: its missing fields are empty
    put("07_ragged_rows.csv", "\r\n".join(ragged) + "\r\n", Expected("loaded", loaded=5, quarantined=1))
    quotes = _text(_rows("QU")).splitlines()
    quotes[3] = quotes[3].replace("QU0002", '"QU0002', 1)  # an opening quote never closed
    put("08_broken_quotes.csv", "\r\n".join(quotes) + "\r\n", Expected("refused", "unreadable"))
    truncated = _text(_rows("TR"))
    put("09_truncated_last_line.csv", truncated[: truncated.rstrip().rfind(";", 0, len(truncated) - 40)],
        Expected("loaded", loaded=5, quarantined=1))
    put("10_cr_only.csv", _text(_rows("CR"), line_end="\r"), Expected("loaded", loaded=6, quarantined=0))
    put("11_lf_only.csv", _text(_rows("LF"), line_end="\n"), Expected("loaded", loaded=6, quarantined=0))
    _xlsx(folder / "12_xlsx_title_rows.xlsx",
          [("Blad1", [["Uppföljning av insatser för vuxna"], ["Export 2025-10-01"], []] + _table(_rows("XT")))])
    expected["12_xlsx_title_rows.xlsx"] = Expected("loaded", loaded=6, quarantined=0)
    _xlsx(folder / "13_xlsx_second_sheet.xlsx", [("Info", [["Exporterad från verksamhetssystemet"]]),
                                                  ("Data", _table(_rows("XS")))])
    expected["13_xlsx_second_sheet.xlsx"] = Expected("loaded", loaded=6, quarantined=0)
    formulas = _table(_rows("XF"))
    # formulas: the value Excel saved with them is read; a formula never calculated (no saved
    # value, as openpyxl writes it) reads as blank: here an optional column, so the row loads
    formulas[1][formulas[0].index(SWEDISH_HEADER["satisfaction"])] = "=2+2"
    formulas[2][formulas[0].index(SWEDISH_HEADER["sex"])] = '=IF(1=1;"K";"M")'  # required: blank is quarantined
    _xlsx(folder / "14_xlsx_formulas.xlsx", [("Blad1", formulas)])
    expected["14_xlsx_formulas.xlsx"] = Expected("loaded", loaded=5, quarantined=1)
    put("15_old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), Expected("refused", "unreadable"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("export.csv", clean)
    put("16_zip_named_csv.csv", archive.getvalue(), Expected("refused", "unreadable"))
    put("17_formula_injection.csv", _text(_rows("FI", 5) + [valid_row(record_id="=cmd|' /C calc'!A0")]),
        Expected("loaded", loaded=6, quarantined=0))
    put("18_html_in_fields.csv", _text(_rows("HT", 5) + [valid_row(record_id="HT9", intervention="<script>x</script>")]),
        Expected("loaded", loaded=5, quarantined=1))
    put("19_one_mb_field.csv", _text(_rows("MB", 5) + [valid_row(record_id="MB9", intervention="x" * 1_000_000)]),
        Expected("loaded", loaded=5, quarantined=1))
    wide = _text(_rows("WI")).splitlines()
    put("20_3000_columns.csv", "\r\n".join([wide[0] + "".join(f";extra_{i}" for i in range(3000))]
                                          + [line + ";" * 3000 for line in wide[1:]]) + "\r\n",
        Expected("loaded", loaded=6, quarantined=0))
    nul = _text(_rows("NU")).splitlines()
    nul[2] = nul[2].replace("NU0001", "NU\x000001")
    put("21_nul_bytes.csv", "\r\n".join(nul) + "\r\n", Expected("loaded", loaded=5, quarantined=1))
    for n, (form, number) in enumerate(IDENTITY_NUMBERS.items(), start=22):
        put(f"{n}_identity_number_{form}.csv", _text(_rows(f"ID{n}", 5) + [valid_row(record_id=number)]),
            Expected("refused", "identity_number"))
    put("27_impossible_dates.csv", _text(_rows("DA", 5) + [valid_row(record_id="DA9", followup_date="2025-02-30")]),
        Expected("loaded", loaded=5, quarantined=1))
    put("28_padded_values.csv", _text([dict(r, sex=" K ", municipality_code=" 0180 ") for r in _rows("PA")]),
        Expected("loaded", loaded=6, quarantined=0))
    put("29_decimal_comma.csv", _text(_rows("DC", 4) + [valid_row(record_id="DC8", rating_missbruk="3,0"),
                                                        valid_row(record_id="DC9", rating_missbruk="2,5")]),
        Expected("loaded", loaded=5, quarantined=1))  # 3,0 is the rating 3; 2,5 is not on the scale
    put("30_cp1252_with_bom.csv", codecs.BOM_UTF8 + _text(_rows("BO", 6, intervention="öppenvård")).encode("cp1252"),
        Expected("refused", "unreadable"))
    put("31_semicolon_in_quotes.csv", _text(_rows("SQ", 5) + [valid_row(record_id="SQ;9")]),
        Expected("loaded", loaded=6, quarantined=0))
    put("32_only_bad_rows.csv", _text(_rows("OB", 4, sex="Q")), Expected("loaded", loaded=0, quarantined=4))
    write_csv(folder / "33_clean.csv", valid_rows(8, prefix="OK"))
    expected["33_clean.csv"] = Expected("loaded", loaded=8, quarantined=0)
    (folder / "34_exact_copy_of_clean.csv").write_bytes((folder / "33_clean.csv").read_bytes())
    expected["34_exact_copy_of_clean.csv"] = Expected("unchanged")
    return expected
