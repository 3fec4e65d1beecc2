"""The notebooks in notebooks/: committed clean, and executed with nbclient against real databases.

The sample database is built from data_samples/exports as `sample_db` in test_indicators.py does,
plus the published_* tables; each notebook then runs in a fresh "python3" kernel with UIV_DB
pointing at it. The kernel is ipykernel's own spec for this interpreter, which jupyter_client
provides whenever ipykernel is importable: no `ipykernel install` is needed on a fresh machine
(pip also installs the same spec as <venv>/share/jupyter/kernels/python3/kernel.json).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import duckdb
import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from conftest import LOAD_TIME, build_sample_store, ingest, valid_row, write_csv
from uiv_core.cells.baselines import build_baselines
from uiv_core.cells.comparisons import build_comparisons
from uiv_core.ingest.identity_numbers import luhn_valid
from uiv_core.cells.indicators import build_indicators, load_peer_groups
from uiv_core.publish.publication import build_publication
from uiv_core.ingest.store import ensure_schema
from uiv_schema.indicators import INDICATORS
from uiv_schema.reasons import REASON_CODES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPLORE = NOTEBOOKS / "explore_my_municipality.ipynb"
QUALITY = NOTEBOOKS / "quarterly_quality_check.ipynb"
EXPORTS = ROOT / "data_samples" / "exports"
IDENTITY_LIKE = re.compile(r"(?<![0-9])(?:[0-9]{6}|[0-9]{8})[-+]?[0-9]{4}(?![0-9])")


def _build(con: duckdb.DuckDBPyConnection, peers_csv: str | None) -> None:
    build_indicators(con, 10, load_peer_groups(peers_csv))
    build_comparisons(con)
    build_baselines(con)
    build_publication(con)


@pytest.fixture(scope="module")
def sample_db_path(tmp_path_factory) -> Path:
    """The sample exports loaded as in test_indicators.py's `sample_db`, plus publication; closed."""
    folder = tmp_path_factory.mktemp("notebooks")
    build_sample_store(folder, 10, publish=True).close()  # the session's sample store, copied
    return folder / "uiv.duckdb"


def _kernel_manager() -> AsyncKernelManager:
    """Kernel "python3" as ipykernel's native spec of this interpreter.

    `kernel_dirs=[]` leaves jupyter_client only its built-in fallback (ipykernel.kernelspec), whose
    argv is this very `sys.executable`: a "python3" kernelspec installed elsewhere for another
    Python (~/.local/share/jupyter, $JUPYTER_PATH) cannot be picked up instead.
    """
    return AsyncKernelManager(kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def run_notebook(path: Path, db: Path, parameters: str = "", extra_code: str = "") -> nbformat.NotebookNode:
    """Execute a notebook (a copy in memory) with UIV_DB=db; `parameters` is injected after the
    parameters cell, `extra_code` appended as a last cell. Raises CellExecutionError on any error."""
    nb = nbformat.read(path, as_version=4)
    if parameters:
        index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(parameters))
    if extra_code:
        nb.cells.append(nbformat.v4.new_code_cell(extra_code))
    client = NotebookClient(nb, km=_kernel_manager(), kernel_name=NATIVE_KERNEL_NAME, timeout=300,
                            resources={"metadata": {"path": str(ROOT)}})
    # A read-only connection held here (another process) makes any read-write open in the kernel fail
    guard = duckdb.connect(str(db), read_only=True)
    try:
        client.execute(env={**os.environ, "UIV_DB": str(db)})  # the kernel's environment
    finally:
        guard.close()
    return nb


def output_text(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook showed: streams, plain text, markdown and HTML of every output."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in output.get("data", {}):
                    parts.append(output.data[mime])
    return "\n".join(parts)


def errors(nb: nbformat.NotebookNode) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


# --- the committed files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [EXPLORE, QUALITY], ids=lambda p: p.name)
def test_notebooks_are_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    parameters = next(c for c in code if "parameters" in c.metadata.get("tags", []))
    assert parameters is code[0]
    assert 'DB = os.environ.get("UIV_DB", "data/uiv.duckdb")' in parameters.source
    assert any("read_only=True" in c.source for c in code)


def test_the_municipality_notebook_reads_published_tables_only():
    sql = "\n".join(c.source for c in nbformat.read(EXPLORE, as_version=4).cells if c.cell_type == "code")
    assert re.search(r"\b(FROM|JOIN)\s+published_indicators\b", sql)
    assert not re.search(r"\b(FROM|JOIN)\s+(indicators|comparisons|baselines|followups\w*|quarantine|load_files)\b",
                         sql, re.IGNORECASE)


def test_the_quality_notebook_never_reads_raw_rows():
    code = "\n".join(c.source for c in nbformat.read(QUALITY, as_version=4).cells if c.cell_type == "code")
    assert "raw_row" not in code


def test_the_python3_kernel_is_found_without_installing_a_kernelspec():
    """jupyter_client offers "python3" whenever ipykernel is importable, and runs this interpreter."""
    specs = KernelSpecManager().find_kernel_specs()
    assert NATIVE_KERNEL_NAME in specs
    native = KernelSpecManager(kernel_dirs=[]).get_kernel_spec(NATIVE_KERNEL_NAME)
    assert native.argv[0] == sys.executable and "ipykernel_launcher" in native.argv


# --- explore_my_municipality.ipynb ---------------------------------------------------------------


@pytest.fixture(scope="module")
def explore_stockholm(sample_db_path):
    return run_notebook(EXPLORE, sample_db_path)


def test_the_municipality_notebook_runs_for_stockholm(explore_stockholm):
    assert errors(explore_stockholm) == []
    text = output_text(explore_stockholm)
    assert "Stockholm" in text and "Stockholms län" in text
    assert "2025Q4–2026Q3" in text  # the latest rolling four quarters
    # improved share missbruk, as in docs/methods.md: 393 of 561 = 70.1 %, 95 % 66.1–73.7, country 62.7
    assert "70,1 %" in text and "66,1–73,7" in text and "62,7 %" in text
    assert "Bättre än jämförelsevärdet" in text
    assert "Jämförelsegrupp: **Storstäder**" in text
    # goal-setting: the suggested target 77.4 % by the rule "påvisbar förbättring"
    assert "77,4 %" in text and "Förbättra med minst den minsta påvisbara förändringen" in text
    charts = [o for c in explore_stockholm.cells for o in c.get("outputs", [])
              if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(charts) == 1


def test_the_municipality_notebook_shows_hidden_cells_as_dots(sample_db_path):
    """A small municipality and target group: every cell that publication hides is '..'."""
    unit, target_group = "1482", "spel"
    nb = run_notebook(
        EXPLORE, sample_db_path,
        parameters=f'MUNICIPALITY = "{unit}"\nTARGET_GROUP = "{target_group}"',
        extra_code='import json\nprint("TABLE=" + json.dumps(indicator_table(main_ids + other_ids)'
                   '.reset_index().to_dict("records"), ensure_ascii=False))',
    )
    assert errors(nb) == []
    text = output_text(nb)
    assert "Kungälv" in text
    shown = {row["Indikator"]: row for row in json.loads(text.split("TABLE=", 1)[1].splitlines()[0])}

    con = duckdb.connect(str(sample_db_path), read_only=True)
    try:
        key = ("unit_type = 'kommun' AND unit_code = ? AND target_group = ? AND breakdown = 'alla' "
               "AND period_type = 'rolling4q' AND period = (SELECT max(period) FROM published_indicators "
               "WHERE period_type = 'rolling4q')")
        published = {i: (d, v) for i, d, v in con.execute(
            f"SELECT indicator_id, denominator, value FROM published_indicators WHERE {key}",
            [unit, target_group]).fetchall()}
        primary = {i for (i,) in con.execute(
            f"SELECT indicator_id FROM indicators WHERE suppressed AND {key}", [unit, target_group]).fetchall()}
    finally:
        con.close()

    hidden = {i for i, (d, v) in published.items() if v is None}
    assert primary and primary <= hidden  # the case does test suppression
    by_id = {i.id: i.name_sv for i in INDICATORS}
    assert len(shown) == len(INDICATORS)
    for indicator_id, name in by_id.items():
        row = shown[name]
        if indicator_id in hidden:
            assert (row["Värde"], row["95 % intervall"], row["n"]) == ("..", "..", ".."), name
        elif indicator_id in published:
            assert row["n"].replace("\u202f", "") == str(published[indicator_id][0]), name
        else:
            assert row["Värde"] == "–", name  # no follow-up at all
    assert "För få uppföljningar för ett publicerat utgångsvärde" in text


# --- quarterly_quality_check.ipynb ---------------------------------------------------------------


def test_the_quality_notebook_runs_on_the_sample_data(sample_db_path):
    nb = run_notebook(QUALITY, sample_db_path)
    assert errors(nb) == []
    text = output_text(nb)
    assert "Rader i karantän: 113" in text
    assert "Orsakskoder som förekommer: 10 av 10" in text
    assert all(code in text for code in REASON_CODES)
    assert "Filer: 5 (inlästa 5, oförändrade 0, vägrade 0)" in text
    assert "Inga filer har vägrats." in text
    assert "Ersatta uppföljningar: 50 (enligt load_files.rows_replaced: 50)" in text
    assert "2025Q2_rattelse_0180.csv" in text and "Stockholm" in text
    assert "Senaste kvartal 2026Q3" in text
    assert "Kommuner med någon täckning under 80 %" in text
    assert not IDENTITY_LIKE.search(text)


def _personnummer() -> str:
    nine = "811218987"  # Skatteverket's classic example, with its Luhn check digit
    return "19" + next(nine + d for d in "0123456789" if luhn_valid(nine + d))


def test_the_quality_notebook_shows_refused_files_vanished_municipalities_and_never_the_number(tmp_path):
    """A small database: a refused file (identity number), an unchanged copy, a municipality that
    delivered last quarter but not this one; too few quarters for any rolling window."""
    secret = _personnummer()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = [valid_row(record_id=f"A{i:03d}", municipality_code=code, followup_date=date, start_date="2025-02-01")
            for i, (code, date) in enumerate(
                [("0180", "2025-05-15")] * 12 + [("1480", "2025-05-15")] * 12 + [("0180", "2025-08-15")] * 14)]
    rows.append(valid_row(record_id="A999", sex="Q"))
    write_csv(inbox / "a.csv", rows)
    write_csv(inbox / "pnr.csv", [valid_row(record_id=f"{secret[:8]}-{secret[8:]}")] + rows[:3])
    path = tmp_path / "small.duckdb"
    con = duckdb.connect(str(path))
    ensure_schema(con)
    ingest(con, inbox)
    (inbox / "a_copy.csv").write_bytes((inbox / "a.csv").read_bytes())
    ingest(con, inbox, LOAD_TIME.replace(hour=13))
    _build(con, None)
    con.close()

    nb = run_notebook(QUALITY, path)
    assert errors(nb) == []
    text = output_text(nb)
    assert "Filer: 3 (inlästa 1, oförändrade 1, vägrade 1)" in text
    assert "identity_number" in text and "pnr.csv" in text
    assert "Rader i karantän: 1" in text
    assert "försvunnen" in text  # 1480: 12 follow-ups in 2025Q2, none in 2025Q3
    assert "Inga uppföljningar har ersatts." in text
    assert "Inga publicerade värden för skattningstäckning." in text
    assert secret not in text and secret[2:] not in text and f"{secret[2:8]}-{secret[8:]}" not in text
    assert not IDENTITY_LIKE.search(text)
