"""One file never stops the others: odd files are read, and a file that fails in any unexpected
way is refused alone (`unreadable`, a sentence without values, the traceback masked in a log)."""

from __future__ import annotations

import re
import subprocess

import duckdb

from conftest import valid_rows, write_csv
from test_cli import UIV
from uiv_core.ingest import loading
from uiv_core.ingest.loading import ingest_inbox


def _write_variants(inbox):
    clean = write_csv(inbox / "clean.csv", valid_rows(20, prefix="C"))
    text = write_csv(inbox / "x.csv", valid_rows(15, prefix="M")).read_bytes()
    (inbox / "x.csv").unlink()
    (inbox / "old_mac.csv").write_bytes(text.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))  # CR only
    lines = write_csv(inbox / "y.csv", valid_rows(12, prefix="W")).read_text(encoding="utf-8-sig").splitlines()
    (inbox / "y.csv").unlink()
    header = lines[0] + "".join(f";extra_{i}" for i in range(3000))
    body = [line + ";x" * 3000 for line in lines[1:]]
    (inbox / "wide.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return clean


def test_cr_only_and_3000_columns_load_beside_a_clean_file(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write_variants(inbox)
    db = tmp_path / "uiv.duckdb"
    result = subprocess.run([UIV, "refresh", "--no-images", "--inbox", str(inbox), "--db", str(db),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Files: 3 loaded, 0 unchanged, 0 refused" in result.stdout
    assert "Rows: 47 loaded, 0 quarantined" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT file_name, rows_read FROM load_files").fetchall())
    assert rows == {"clean.csv": 20, "old_mac.csv": 15, "wide.csv": 12}
    extra = con.execute("SELECT count(*) FROM load_files WHERE file_name = 'wide.csv' "
                        "AND len(extra_columns) = 3000").fetchone()[0]
    message = con.execute("SELECT message FROM load_files WHERE file_name = 'wide.csv'").fetchone()[0]
    con.close()
    assert extra == 1 and message.endswith("extra_9 and 2990 more")


def test_an_unexpected_error_refuses_that_file_alone(tmp_path, monkeypatch, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write_variants(inbox)
    real_stage = loading.stage

    def broken_for_one_file(con, raw, headers, load_date):
        if raw.path.name == "wide.csv":  # a bug that quotes a value from the file in its message
            raise RuntimeError("could not convert '19121212-1212' on line 7")
        return real_stage(con, raw, headers, load_date)

    monkeypatch.setattr(loading, "stage", broken_for_one_file)
    logs = tmp_path / "logs"
    outcomes = {o.file_name: o for o in ingest_inbox(store, inbox, progress=lambda text: None, log_dir=logs)}
    assert outcomes["clean.csv"].status == "loaded" and outcomes["clean.csv"].rows_loaded == 20
    assert outcomes["old_mac.csv"].status == "loaded" and outcomes["old_mac.csv"].rows_loaded == 15
    refused = outcomes["wide.csv"]
    assert refused.status == "refused"
    assert refused.message.startswith("unreadable: the file could not be read near line 7 (RuntimeError).")
    assert str(logs / "ingest-errors.log") in refused.message
    assert "1212" not in refused.message
    log = (logs / "ingest-errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "broken_for_one_file" in log
    assert "19121212" not in log and "<dolt>" in log
    stored = store.execute("SELECT status, message FROM load_files WHERE file_name = 'wide.csv'").fetchone()
    assert stored == ("refused", refused.message)
    assert store.execute("SELECT count(*) FROM followups").fetchone()[0] == 35


def test_formulas_are_neutralised_in_exports_and_markup_escaped_in_pages(tmp_path):
    from uiv_core.publish.exports import neutral

    assert [neutral(t) for t in ("=1+1", "+46", "-2", "@SUM(A1)", "\tx", "\rx", "Malmö", "..", "")] == \
        ["'=1+1", "'+46", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "Malmö", "..", ""]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = [dict(r, followup_date=date, start_date="2024-06-01", record_id=f"{q}{r['record_id']}")
            for q, date in enumerate(["2024-12-15", "2025-03-15", "2025-06-15", "2025-09-15"])
            for r in valid_rows(12) + valid_rows(12, municipality_code="1280", prefix="S")]
    write_csv(inbox / "<i>export.csv", rows)
    peers = tmp_path / "peers.csv"
    group = "=HYPERLINK(\"http://x\";\"<script>x</script>\")"
    peers.write_text(f"municipality_code;peer_group\n0180;\"{group.replace(chr(34), chr(34) * 2)}\"\n"
                     f"1280;\"{group.replace(chr(34), chr(34) * 2)}\"\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([UIV, "refresh", "--no-images", "--inbox", str(inbox), "--db", str(tmp_path / "uiv.duckdb"),
                             "--out", str(out), "--peer-groups", str(peers)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    text = (out / "exports" / "indicatorer.csv").read_text(encoding="utf-8-sig")
    cells = [cell for line in text.splitlines() for cell in line.split(";")]
    assert any(cell.startswith("\"'=HYPERLINK") or cell.startswith("'=HYPERLINK") for cell in cells)
    # the one formula a cell may hold is the unit code's text formula ="0180" (digits only)
    codes = [cell for cell in cells if re.fullmatch(r'"=""\d+"""', cell)]
    assert codes and not any(cell.lstrip('"').startswith(("=", "+", "@")) for cell in cells if cell not in codes)
    from openpyxl import load_workbook
    oj = next((out / "exports").glob("oppna_jamforelser_*.xlsx"))
    texts = [cell for sheet in load_workbook(oj).worksheets for row in sheet.iter_rows(values_only=True)
             for cell in row if isinstance(cell, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts) and not any(t.startswith("=") for t in texts)
    quality = (out / "quality" / "index.html").read_text(encoding="utf-8")
    assert "&lt;i&gt;export.csv" in quality and "<i>export" not in quality
    for page in (out / "report").rglob("*.html"):
        assert "<script>x</script>" not in page.read_text(encoding="utf-8"), page
