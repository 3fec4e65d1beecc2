"""A corpus of malformed exports (tests/corpus.py) through one `uiv refresh`: every file ends as
a refusal with its reason or as loaded rows with the exact quarantine, rows read = loaded +
quarantined, no traceback anywhere in the output, and no identity number in the store, the logs
or the published files."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import corpus
from test_cli import UIV


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    expected = corpus.build(folder / "inbox")
    result = subprocess.run([UIV, "refresh", "--no-images", "--inbox", str(folder / "inbox"),
                             "--db", str(folder / "uiv.duckdb"), "--out", str(folder / "out")],
                            capture_output=True, text=True, timeout=900)
    con = duckdb.connect(str(folder / "uiv.duckdb"), read_only=True)
    files = {row[0]: row[1:] for row in con.execute(
        "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined, message FROM load_files").fetchall()}
    quarantined = dict(con.execute("SELECT source_file, count(*) FROM quarantine GROUP BY 1").fetchall())
    yield {"folder": folder, "expected": expected, "result": result, "files": files, "con": con,
           "quarantined": quarantined}
    con.close()


def test_the_corpus_is_large_enough(refreshed):
    assert len(refreshed["expected"]) >= 30


def test_one_refresh_takes_them_all_without_a_traceback(refreshed):
    result = refreshed["result"]
    assert result.returncode == 1, result.stderr[-3000:]  # files were refused: exit 1 (README)
    assert "Traceback" not in result.stdout + result.stderr and "Stack Trace" not in result.stdout + result.stderr
    refused = sum(e.status == "refused" for e in refreshed["expected"].values())
    assert f"{refused} refused" in result.stdout
    assert "no_refused_files" in result.stdout  # the failed check names it


def _names():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return sorted(corpus.build(Path(folder)))


@pytest.mark.parametrize("name", _names())
def test_each_file_ends_as_expected(refreshed, name):
    expected, got = refreshed["expected"][name], refreshed["files"].get(name)
    assert got is not None, f"{name} has no load_files row"
    status, read, loaded, quarantined, message = got
    if expected.status == "unchanged":
        assert status == "unchanged"
        return
    assert status == expected.status, message
    if status == "refused":
        assert message.startswith(f"{expected.reason}: "), message
        assert (read, loaded, quarantined) == (0, 0, 0)
        assert "Traceback" not in message
    else:
        assert (loaded, quarantined) == (expected.loaded, expected.quarantined), message
        assert read == loaded + quarantined
        assert refreshed["quarantined"].get(name, 0) == quarantined


def _content(path: Path) -> bytes:
    """A file's bytes; the members of a zip (XLSX) and the table of a Parquet file uncompressed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(member) for member in archive.namelist())
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas().to_csv().encode()
    return path.read_bytes()


def test_no_identity_number_anywhere(refreshed):
    folder, con = refreshed["folder"], refreshed["con"]
    numbers = set(corpus.IDENTITY_NUMBERS.values())
    digits = {"".join(ch for ch in n if ch.isdigit()) for n in numbers}
    digits |= {d[2:] for d in digits if len(d) == 12}  # the ten-digit form of a twelve-digit number
    needles = numbers | digits
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                                ).fetchall():
        text = repr(con.execute(f'SELECT * FROM "{table}"').fetchall())
        found = [n for n in needles if n in text]
        assert not found, f"an identity number in table {table}"
    for path in (folder / "out").rglob("*"):
        if path.is_file():
            assert not [n for n in needles if n.encode() in _content(path)], f"an identity number in {path}"
    result = refreshed["result"]
    assert not [n for n in needles if n in result.stdout + result.stderr], "an identity number in the output"
