"""A real browser for the tests: Debian's headless Chromium driven over the DevTools protocol.

Opens a page (file:// works), collects console errors and uncaught exceptions, waits until every
Plotly chart on the page has drawn, and takes a full-page screenshot. No test framework's own
browser download: `chromium` from Debian (BROWSER_PATH or /usr/bin/chromium).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", "--hide-scrollbars", "--remote-debugging-port=0"]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


@dataclass
class PageResult:
    url: str
    errors: list[str] = field(default_factory=list)
    charts: int = 0
    charts_drawn: int = 0
    screenshot: bytes = b""
    title: str = ""
    value: object = None  # what the `evaluate` expression of `open` returned


class Browser:
    def __init__(self, width: int = 1280, height: int = 900):
        self.width, self.height = width, height
        self.profile = tempfile.mkdtemp(prefix="uiv_chromium_")
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self.socket = connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=30)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.events.append(json.loads(self.socket.recv(timeout=max(0.01, deadline - time.monotonic()))))
            except TimeoutError:
                return

    def open(self, url: str, timeout: float = 60, clip: tuple[int, int] | None = None,
             evaluate: str | None = None) -> PageResult:
        """Load `url`; the screenshot is the whole page, or the band (top, height) of `clip`;
        `evaluate`: a JavaScript expression whose value (JSON-able) is kept in `value`."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        # the window cannot be narrower than 500 px headless: a phone's width is emulated
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                          "deviceScaleFactor": 1, "mobile": self.width < 600},
                  session=session)
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=session)
        result = PageResult(url)
        deadline = time.monotonic() + timeout
        script = ("(() => { const plots = document.querySelectorAll('.js-plotly-plot');"
                  " const drawn = [...plots].filter(p => p.querySelector('.main-svg')).length;"
                  " return JSON.stringify({ready: document.readyState, charts: plots.length, drawn: drawn,"
                  " title: document.title}); })()")
        while True:
            self._drain(0.2)
            state = json.loads(self.send("Runtime.evaluate", {"expression": script, "returnByValue": True},
                                         session=session)["result"]["value"])
            if state["ready"] == "complete" and state["drawn"] == state["charts"]:
                break
            if time.monotonic() > deadline:
                break
        self._drain(0.5)
        result.charts, result.charts_drawn, result.title = state["charts"], state["drawn"], state["title"]
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                result.errors.append(params["exceptionDetails"].get("text", "exception") + " " +
                                     json.dumps(params["exceptionDetails"].get("exception", {}).get("description", "")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                result.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                result.errors.append(params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
        if evaluate:
            result.value = self.send("Runtime.evaluate", {"expression": evaluate, "returnByValue": True},
                                     session=session)["result"].get("value")
        metrics = self.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        top, height = clip or (0, min(size["height"], 6000))
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": top, "width": size["width"], "height": height, "scale": 1},
        }, session=session)
        result.screenshot = base64.b64decode(shot["data"])
        self.send("Target.closeTarget", {"targetId": target})
        return result

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)
