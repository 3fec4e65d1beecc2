"""Chart images (PNG/SVG) through Kaleido, without ever making the product depend on a browser.

Kaleido drives a Chrome/Chromium. Where none can be found, or rendering fails or takes longer
than a bound, the images are skipped and one line says why; the HTML report is complete
without them (its charts are drawn by plotly.js in the reader's browser).

How a browser is found (`find_browser`): a `BROWSER_PATH` the user set, when it names an
executable; otherwise choreographer's own search (Kaleido's download, the browsers on `PATH`,
the usual install paths on Windows, macOS and Linux). A `BROWSER_PATH` that names nothing is
reported, not obeyed.

Rendering runs in a child process (`python -m uiv_core.publish.images JOBS`) in its own process group:
when it overruns the bound it is killed with its browser, so no thread or browser outlives the
run and a broken Kaleido can never hang a refresh.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: seconds for the whole image step of a run
DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = "installera chromium eller sätt BROWSER_PATH"


@dataclass
class ImageResult:
    written: list[Path] = field(default_factory=list)
    note: str | None = None  # one line for the summary when images were skipped (Swedish)
    browser: str | None = None
    seconds: float = 0.0


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser() -> tuple[str | None, str | None]:
    """(path of a Chrome/Chromium or None, a note about a `BROWSER_PATH` that names nothing)."""
    from choreographer.browsers.chromium import Chromium

    user = os.environ.get("BROWSER_PATH")
    note = None
    if user:
        if _is_executable(user):
            return user, None
        note = f"BROWSER_PATH={user} är inget körbart program"
    saved = os.environ.pop("BROWSER_PATH", None)  # choreographer would take it as it is
    try:
        found = Chromium.find_browser(skip_local=False)
    finally:
        if saved is not None:
            os.environ["BROWSER_PATH"] = saved
    return (found if found and _is_executable(found) else None), note


def write_images(jobs: list[tuple[dict, Path, str]], *, timeout: float = DEFAULT_TIMEOUT,
                 enabled: bool = True) -> ImageResult:
    """Render (figure dict, path, format) jobs; never raises for a missing or failing browser.

    Each figure is drawn at its own layout width and height. Returns what was written and, when
    not everything was, a one-line Swedish note saying why."""
    started = time.perf_counter()
    if not jobs:
        return ImageResult()
    if not enabled:
        return ImageResult(note="Bilder (PNG/SVG) hoppades över: --no-images")
    browser, browser_note = find_browser()
    if browser is None:
        why = browser_note or "ingen Chrome/Chromium hittades"
        return ImageResult(note=f"Bilder (PNG/SVG) hoppades över: {why}; {INSTALL_HINT}")
    for _, path, _ in jobs:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="uiv-images-") as folder:
        spec = Path(folder) / "jobs.json"
        spec.write_text(json.dumps({"browser": browser, "jobs": [
            {"fig": figure, "path": str(path), "format": fmt,
             "width": figure.get("layout", {}).get("width") or 800,
             "height": figure.get("layout", {}).get("height") or 500} for figure, path, fmt in jobs]}),
            encoding="utf-8")
        log = Path(folder) / "kaleido.log"
        with open(log, "wb") as handle:
            child = subprocess.Popen([sys.executable, "-m", "uiv_core.publish.images", str(spec)], stdout=handle,
                                     stderr=subprocess.STDOUT, start_new_session=True)
            try:
                code = child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(child)
                code = None
        detail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    written = [Path(p) for _, p, _ in jobs if Path(p).is_file() and Path(p).stat().st_size > 0]
    result = ImageResult(written=written, browser=browser, seconds=round(time.perf_counter() - started, 1))
    if code is None:
        result.note = (f"Bilder (PNG/SVG) avbröts efter {timeout:.0f} s ({len(written)} av {len(jobs)} klara); "
                       f"{INSTALL_HINT}")
    elif browser_note and written == [Path(p) for _, p, _ in jobs]:  # reported, not obeyed
        result.note = f"Bilder (PNG/SVG): {browser_note}; {browser} användes i stället"
    elif code != 0 or len(written) < len(jobs):
        error = _error_name(detail) or f"kod {code}"
        result.note = (f"Bilder (PNG/SVG) hoppades över: {browser} kunde inte rita dem ({error}); {INSTALL_HINT}"
                       if not written else f"Bilder (PNG/SVG): {len(written)} av {len(jobs)} skrevs ({error})")
    return result


def _error_name(lines: list[str]) -> str | None:
    """The exception's class name from the child's last lines (`pkg.module.Name: text`)."""
    for line in reversed(lines):
        head = line.split(":", 1)[0].strip()
        if head and " " not in head and head[:1].isalpha():
            return head.rsplit(".", 1)[-1]
    return None


def _kill_group(child: subprocess.Popen) -> None:
    """Kill the child, its process group and every process below it (the browser runs in a
    session of its own)."""
    import psutil

    try:
        family = psutil.Process(child.pid).children(recursive=True)
    except psutil.Error:
        family = []
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):  # AttributeError: no killpg (Windows)
        child.kill()
    for process in family:
        try:
            process.kill()
        except psutil.Error:
            pass
    child.wait()
    psutil.wait_procs(family, timeout=5)


def _render(spec_path: str) -> int:
    """The child process: render every job with one Kaleido (two tabs: two cores)."""
    import asyncio

    import kaleido

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    figures = [{"fig": job["fig"], "path": job["path"],
                "opts": {"format": job["format"], "width": job["width"], "height": job["height"], "scale": 1}}
               for job in spec["jobs"]]

    async def main():
        # plotly.js comes from the installed plotly package; MathJax off: nothing from a CDN
        async with kaleido.Kaleido(n=2, mathjax=False, path=spec["browser"]) as k:
            return await k.write_fig_from_object(figures)

    errors = asyncio.run(main())
    for error in errors or ():
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(_render(sys.argv[1]))
