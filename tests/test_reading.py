"""Reading exports: every encoding × delimiter × format, line numbers, Swedish habits."""

from __future__ import annotations

import duckdb
import pytest

from conftest import valid_row, valid_rows, write_csv, write_xlsx
from uiv_core.ingest.loading import inspect_export
from uiv_core.ingest.reading import RefusedFile, detect_delimiter, read_export
from conftest import LOAD_TIME

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
DELIMITERS = [";", ",", "\t"]


def _inspect(path):
    return inspect_export(duckdb.connect(), path, LOAD_TIME.date())


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
@pytest.mark.parametrize("swedish", [True, False], ids=["swedish-headers", "english-headers"])
def test_csv_matrix_reads_every_row_and_detects_the_dialect(tmp_path, encoding, delimiter, swedish):
    rows = valid_rows(12)
    rows[3]["extra_note"] = "Öppenvårdsenheten Söder, Malmö"  # Swedish letters in an extra column
    for row in rows:
        row.setdefault("extra_note", "")
    path = write_csv(tmp_path / "export.csv", rows, encoding=encoding, delimiter=delimiter, swedish=swedish)

    inspection = _inspect(path)

    assert inspection.raw.encoding == encoding
    assert inspection.raw.delimiter == delimiter
    assert inspection.raw.rows_read == 12
    assert inspection.rows_valid == 12
    assert inspection.headers.extra == ["extra_note"]
    con_value = inspection.raw.table
    assert con_value  # the table name is reported


def test_cp1252_swedish_letters_survive_into_the_extra_columns(tmp_path):
    rows = [valid_row(extra="Åsa på Ölandsvägen")]
    path = write_csv(tmp_path / "export.csv", rows, encoding="cp1252")
    con = duckdb.connect()
    inspection = inspect_export(con, path, LOAD_TIME.date())
    (extras,) = con.execute(f"SELECT extra_columns FROM {inspection.staged_table}").fetchone()
    assert "Åsa på Ölandsvägen" in extras
    assert inspection.raw.encoding == "cp1252"


@pytest.mark.parametrize("swedish", [True, False])
def test_xlsx_first_sheet_with_lost_leading_zero_and_excel_dates(tmp_path, swedish):
    rows = valid_rows(5, municipality_code="0180")
    path = write_xlsx(tmp_path / "export.xlsx", rows, swedish=swedish)
    con = duckdb.connect()
    inspection = inspect_export(con, path, LOAD_TIME.date())
    assert inspection.raw.file_format == "xlsx"
    assert inspection.rows_valid == 5
    codes = con.execute(f"SELECT DISTINCT municipality_code, followup_date FROM {inspection.staged_table}").fetchall()
    assert [(c, str(d)) for c, d in codes] == [("0180", "2025-09-15")]


def test_codes_are_text_and_a_lost_leading_zero_is_restored_in_csv(tmp_path):
    path = write_csv(tmp_path / "e.csv", [valid_row(municipality_code="180"), valid_row(record_id="B", municipality_code="0581")])
    con = duckdb.connect()
    inspection = inspect_export(con, path, LOAD_TIME.date())
    assert inspection.rows_valid == 2
    assert con.execute(f"SELECT list(municipality_code ORDER BY line_number) FROM {inspection.staged_table}").fetchone()[0] == ["0180", "0581"]


def test_decimal_comma_ja_nej_case_and_the_three_date_forms(tmp_path):
    rows = [
        valid_row(record_id="A", rating_missbruk="4,0", need_boende="ja", rating_boende="3.0", sex="k", target_group="Missbruk"),
        valid_row(record_id="B", followup_date="20250915", start_date="01/02/2025", need_boende="nej", rating_boende=""),
        valid_row(record_id="C", followup_date="15/09/2025", satisfaction="5,0"),
    ]
    con = duckdb.connect()
    inspection = inspect_export(con, write_csv(tmp_path / "e.csv", rows), LOAD_TIME.date())
    assert inspection.rows_valid == 3
    staged = con.execute(
        f"SELECT rating_missbruk, need_boende, sex, target_group, followup_date, start_date "
        f"FROM {inspection.staged_table} ORDER BY line_number").fetchall()
    assert staged[0][:4] == ("4", "1", "K", "missbruk")
    assert staged[1][1] == "0"
    assert {str(r[4]) for r in staged} == {"2025-09-15"}
    assert str(staged[1][5]) == "2025-02-01"


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path):
    rows = [dict(valid_row(record_id=f"R{i}"), kommentar="") for i in range(4)]
    rows[2]["kommentar"] = "two\nlines"  # a quoted cell spanning two lines
    path = write_csv(tmp_path / "e.csv", rows)
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\r\n")
    # header, R0, <blank>, R1, R2 (two lines), <blank>, <blank>, R3
    text = "\r\n".join([lines[0], lines[1], "", lines[2], lines[3], "", "", lines[4]]) + "\r\n"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect()
    raw = read_export(con, path)
    numbers = con.execute(f"SELECT line_number FROM {raw.table} ORDER BY line_number").fetchall()
    assert [n for (n,) in numbers] == [2, 4, 5, 9]
    assert raw.rows_read == 4


def _lines_by_splitting(data: bytes, chunk: int) -> tuple[int, list[int], bytes, bool]:
    """The scan's figures the slow, obvious way: split the bytes at the line end."""
    separator = b"\r" if b"\r" in data[:chunk] and b"\n" not in data[:chunk] else b"\n"
    parts = data.split(separator)
    lines = parts[:-1] + ([parts[-1]] if parts[-1] else [])
    blank = [i + 1 for i, line in enumerate(parts[:-1]) if i > 0 and not line.rstrip(b"\r")]
    stray = separator == b"\n" and data.count(b"\r") != data.count(b"\r\n")
    return len(lines), blank, lines[0] if lines else b"", stray


def test_the_chunked_line_scan_counts_exactly_what_splitting_the_file_counts(tmp_path):
    """Lines, blank lines (empty or only CRs), the header and stray CRs, counted chunk by chunk
    with numpy, agree with splitting the whole file, also when chunks cut a CRLF, a blank line or
    the header (chunks of 1 to 9 bytes over 3 000 random files of a;\n\r" bytes)."""
    import random

    from uiv_core.ingest.csv_scan import scan_csv

    rng = random.Random(7)
    path = tmp_path / "scan.csv"
    compared = 0
    for _ in range(3000):
        data = b"h;x\n" * rng.randint(0, 1) + bytes(rng.choice(b'a;\n\r\r"') for _ in range(rng.randint(1, 40)))
        chunk = rng.randint(1, 9)
        path.write_bytes(data)
        lines, blank, header, stray = _lines_by_splitting(data, chunk)
        if not header.strip():
            with pytest.raises(RefusedFile):
                scan_csv(path, chunk)
            continue
        scan = scan_csv(path, chunk)
        assert (scan.lines, scan.blank_lines, scan.header_line, scan.stray_cr) == \
            (lines, blank, header.decode(), stray), (data, chunk)
        compared += 1
    assert compared > 2000


def test_blank_lines_without_quoted_line_breaks_keep_the_file_s_line_numbers(tmp_path):
    path = write_csv(tmp_path / "e.csv", [valid_row(record_id=f"R{i}") for i in range(3)])
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join([lines[0], b"", lines[1], lines[2], b"", b"", lines[3]]) + b"\r\n")
    con = duckdb.connect()
    raw = read_export(con, path)
    assert [n for (n,) in con.execute(f"SELECT line_number FROM {raw.table} ORDER BY 1").fetchall()] == [3, 4, 7]


def test_a_quoted_line_break_shows_in_the_line_count(tmp_path):
    """The line count tells when every row is one line; a quoted line break makes it not add up
    (then the cells are searched for line breaks)."""
    from uiv_core.ingest.csv_scan import scan_csv

    rows = [dict(valid_row(record_id=f"R{i}"), kommentar="") for i in range(3)]
    plain = write_csv(tmp_path / "plain.csv", rows)
    rows[1]["kommentar"] = "two\nlines"
    broken = write_csv(tmp_path / "broken.csv", rows)
    assert scan_csv(plain).rows_are_lines(3)
    assert not scan_csv(broken).rows_are_lines(3)


def test_without_blank_lines_the_line_number_is_the_row_plus_one(tmp_path):
    path = write_csv(tmp_path / "e.csv", valid_rows(3))
    con = duckdb.connect()
    raw = read_export(con, path)
    assert [n for (n,) in con.execute(f"SELECT line_number FROM {raw.table} ORDER BY 1").fetchall()] == [2, 3, 4]


def test_a_file_in_no_accepted_encoding_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("lopnr;kommunkod\n".encode() + b"A;\x81\x8d\x90\n")  # undefined in cp1252
    with pytest.raises(RefusedFile) as refusal:
        read_export(duckdb.connect(), path)
    assert "neither UTF-8 nor Windows-1252" in refusal.value.message


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("lopnr;kommunkod\nA;0180\n".encode("utf-16"))
    with pytest.raises(RefusedFile, match="UTF-16"):
        read_export(duckdb.connect(), path)


def test_old_xls_is_refused(tmp_path):
    path = tmp_path / "e.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(RefusedFile, match=".xlsx"):
        read_export(duckdb.connect(), path)


def test_delimiter_detection_prefers_the_most_frequent_and_refuses_none():
    assert detect_delimiter("a;b;c,d") == ";"
    assert detect_delimiter("a,b,c") == ","
    assert detect_delimiter("a\tb\tc") == "\t"
    with pytest.raises(RefusedFile):
        detect_delimiter("lopnr")


def test_a_missing_required_column_refuses_the_file_and_names_it(tmp_path):
    rows = [{k: v for k, v in valid_row().items() if k != "target_group"}]
    with pytest.raises(RefusedFile) as refusal:
        _inspect(write_csv(tmp_path / "e.csv", rows))
    assert refusal.value.code == "missing_columns"
    assert "malgrupp (target_group)" in refusal.value.message


def test_satisfaction_is_an_optional_column(tmp_path):
    rows = [{k: v for k, v in valid_row().items() if k != "satisfaction"}]
    assert _inspect(write_csv(tmp_path / "e.csv", rows)).rows_valid == 1


def test_headers_match_case_insensitively_trimmed_and_with_swedish_letters(tmp_path):
    rows = [valid_row()]
    path = write_csv(tmp_path / "e.csv", rows)
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    header = header.replace("kommunkod", " KOMMUNKOD ").replace(";kon;", ";Kön;").replace("malgrupp", "Målgrupp")
    path.write_text(header + "\n" + rest, encoding="utf-8")
    assert _inspect(path).rows_valid == 1


def test_a_column_given_twice_is_refused(tmp_path):
    rows = [dict(valid_row(), sex_again="K")]
    path = write_csv(tmp_path / "e.csv", rows)
    text = path.read_text(encoding="utf-8").replace("sex_again", "sex")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RefusedFile, match="appears twice"):
        _inspect(path)


def test_header_matching_ignores_spaces_hyphens_and_underscores(tmp_path):
    path = write_csv(tmp_path / "e.csv", [valid_row()])
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    header = header.replace("aldersgrupp", "Ålders grupp").replace("uppfoljningsdatum", "Uppföljnings-datum")
    path.write_text(header + "\n" + rest, encoding="utf-8")
    assert _inspect(path).rows_valid == 1


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_the_same_header_twice_is_refused(tmp_path, writer):
    rows = [dict(valid_row(), extra="x")]
    path = write_csv(tmp_path / "e.csv", rows) if writer == "csv" else write_xlsx(tmp_path / "e.xlsx", rows)
    if writer == "csv":
        header, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(header.replace("extra", "KON") + "\n" + rest, encoding="utf-8")
    else:
        import openpyxl
        book = openpyxl.load_workbook(path)
        book.active.cell(row=1, column=len(rows[0])).value = "KON"
        book.save(path)
    with pytest.raises(RefusedFile, match="appears twice"):
        _inspect(path)


def test_lines_of_only_delimiters_or_spaces_are_not_rows_and_keep_line_numbers(tmp_path):
    path = write_csv(tmp_path / "e.csv", valid_rows(2))
    header, first, second = path.read_text(encoding="utf-8").strip("\n").split("\n")
    path.write_text("\n".join([header, first, "   ", ";;;;", second]) + "\n", encoding="utf-8")
    con = duckdb.connect()
    raw = read_export(con, path)
    assert raw.rows_read == 2
    assert [n for (n,) in con.execute(f"SELECT line_number FROM {raw.table} ORDER BY 1").fetchall()] == [2, 5]


def test_a_header_with_quotes_is_read_not_crashed_on(tmp_path):
    rows = [dict(valid_row(), **{'note "x"': "a"})]
    inspection = _inspect(write_csv(tmp_path / "e.csv", rows))
    assert inspection.headers.extra == ['note "x"'] and inspection.rows_valid == 1


def test_codes_with_swedish_letters_are_folded(tmp_path):
    rows = [valid_row(completed="Pågår", intervention="Öppenvård", target_group="hemlöshet", main_substance="")]
    assert _inspect(write_csv(tmp_path / "e.csv", rows)).rows_valid == 1


def test_utf8_with_a_stray_windows_byte_is_refused_not_garbled(tmp_path):
    path = write_csv(tmp_path / "e.csv", [dict(valid_row(), note="Söder")])
    path.write_bytes(path.read_bytes() + "Malmö".encode("cp1252"))
    with pytest.raises(RefusedFile, match="mixes encodings"):
        read_export(duckdb.connect(), path)


def test_a_row_with_more_fields_than_the_header_is_refused_with_its_line(tmp_path):
    path = write_csv(tmp_path / "e.csv", valid_rows(3))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] += ";surplus"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RefusedFile, match="line 3 has more fields than the header"):
        read_export(duckdb.connect(), path)


def test_trailing_empty_fields_beyond_the_header_are_harmless(tmp_path):
    path = write_csv(tmp_path / "e.csv", valid_rows(3))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] += ";"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _inspect(path).rows_valid == 3


def test_xlsx_values_right_of_the_last_header_are_refused(tmp_path):
    import openpyxl

    path = write_xlsx(tmp_path / "e.xlsx", valid_rows(2))
    book = openpyxl.load_workbook(path)
    book.active.cell(row=3, column=40).value = "stray"
    book.save(path)
    with pytest.raises(RefusedFile, match="row 3 has values to the right"):
        read_export(duckdb.connect(), path)
