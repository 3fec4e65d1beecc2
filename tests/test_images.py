"""Chart images never make the product depend on a browser (uiv_core.publish.images): a missing, broken
or hanging Chrome/Chromium gives a one-line note and exit 0, never a hang or a traceback."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from conftest import valid_row, write_csv
from test_cli import UIV
from uiv_core.publish import images

FIGURE = {"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}], "layout": {"width": 400, "height": 300}}


def _jobs(folder: Path) -> list:
    return [(FIGURE, folder / "a.png", "png"), (FIGURE, folder / "a.svg", "svg")]


@pytest.fixture
def hanging_browser(tmp_path):
    """An executable that starts and never answers, as a wedged browser does."""
    path = tmp_path / "wedged-browser"
    path.write_text("#!/bin/sh\nexec sleep 600\n")
    path.chmod(0o755)
    yield path
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "600"]]
    assert not left, f"a browser process outlived its run: {left}"


def test_a_browser_path_that_names_nothing_is_reported_and_not_obeyed(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    found, note = images.find_browser()
    assert note == f"BROWSER_PATH={tmp_path / 'no-such-browser'} är inget körbart program"
    assert found != str(tmp_path / "no-such-browser")  # the own search runs instead
    assert os.environ["BROWSER_PATH"] == str(tmp_path / "no-such-browser")  # and the setting is left alone


@pytest.mark.skipif(images.find_browser()[0] is None, reason="no Chrome/Chromium on this machine")
def test_a_browser_path_that_names_nothing_is_said_when_another_browser_draws(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    result = images.write_images(_jobs(tmp_path))
    assert len(result.written) == 2
    assert result.note == (f"Bilder (PNG/SVG): BROWSER_PATH={tmp_path / 'no-such-browser'} är inget körbart program; "
                           f"{result.browser} användes i stället")


def test_no_browser_anywhere_skips_the_images_with_one_line(monkeypatch, tmp_path):
    from choreographer.browsers.chromium import Chromium

    # a machine without any Chrome/Chromium: choreographer's search finds nothing
    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kwargs: None))
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nothing"))
    result = images.write_images(_jobs(tmp_path))
    assert result.written == [] and not list(tmp_path.glob("a.*"))
    assert result.note == (f"Bilder (PNG/SVG) hoppades över: BROWSER_PATH={tmp_path / 'nothing'} är inget körbart "
                           "program; installera chromium eller sätt BROWSER_PATH")
    monkeypatch.delenv("BROWSER_PATH")
    assert images.write_images(_jobs(tmp_path)).note == ("Bilder (PNG/SVG) hoppades över: ingen Chrome/Chromium "
                                                         "hittades; installera chromium eller sätt BROWSER_PATH")


def test_images_switched_off():
    assert images.write_images(_jobs(Path("/nonexistent")), enabled=False).note.endswith("--no-images")


def test_a_browser_that_fails_to_start_gives_a_note(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    result = images.write_images(_jobs(tmp_path), timeout=60)
    assert result.written == []
    assert result.note.startswith("Bilder (PNG/SVG) hoppades över: /bin/false kunde inte rita dem (")


def test_a_hanging_browser_is_stopped_at_the_bound(monkeypatch, tmp_path, hanging_browser):
    monkeypatch.setenv("BROWSER_PATH", str(hanging_browser))
    started = time.perf_counter()
    result = images.write_images(_jobs(tmp_path), timeout=4)
    assert time.perf_counter() - started < 30
    assert result.written == []
    assert result.note == ("Bilder (PNG/SVG) avbröts efter 4 s (0 av 2 klara); installera chromium eller sätt "
                           "BROWSER_PATH")


def test_refresh_with_a_wedged_browser_finishes_with_exit_0_and_a_complete_report(tmp_path, hanging_browser):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = [valid_row(record_id=f"R{q}{i:03d}", followup_date=date, start_date="2024-06-01")  # 4 quarters
            for q, date in enumerate(["2024-12-15", "2025-03-15", "2025-06-15", "2025-09-15"]) for i in range(12)]
    write_csv(inbox / "a.csv", rows)
    out = tmp_path / "out"
    env = {**os.environ, "BROWSER_PATH": str(hanging_browser), "UIV_IMAGE_TIMEOUT": "5"}
    result = subprocess.run([UIV, "refresh", "--inbox", str(inbox), "--db", str(tmp_path / "uiv.duckdb"),
                             "--out", str(out)], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    assert "Bilder (PNG/SVG) avbröts efter 5 s" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    county = (out / "report" / "lan" / "01.html").read_text(encoding="utf-8")
    assert "Bilderna skapades inte i den här körningen" in county
    assert not list((out / "report" / "lan").glob("*/*.png"))

    skipped = subprocess.run([UIV, "refresh", "--no-images", "--inbox", str(inbox), "--db",
                              str(tmp_path / "uiv.duckdb"), "--out", str(out)],
                             capture_output=True, text=True, timeout=600, env=env)
    assert skipped.returncode == 0 and "Bilder (PNG/SVG) hoppades över: --no-images" in skipped.stdout
