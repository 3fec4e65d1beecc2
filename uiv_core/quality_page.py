"""The quality page under out/quality: the checks' results as one offline HTML page (GX's own Data
Docs load Bootstrap, jQuery and Vega from CDNs, so they would not work from file://) and the
same results as JSON (checks.json), both deterministic apart from the run stamp."""

from __future__ import annotations

from pathlib import Path

import jinja2

from uiv_core.quality import CheckOutcome, outcomes_json
from uiv_schema.labels import QUALITY_CHECK_LABELS, QUALITY_LABELS


def write_quality_page(outcomes: list[CheckOutcome], out: Path, run_stamp: str) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(loader=jinja2.PackageLoader("uiv_core", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
    checks = [{**vars(o), "title": QUALITY_CHECK_LABELS.get(o.name, o.name)} for o in outcomes]
    summary = QUALITY_LABELS["summary"].format(passed=sum(o.passed for o in outcomes), total=len(outcomes))
    page = env.get_template("quality.html").render(labels=QUALITY_LABELS, checks=checks, summary=summary,
                                                   run_stamp=run_stamp)
    (out / "index.html").write_text(page, encoding="utf-8")
    (out / "checks.json").write_text(outcomes_json(outcomes) + "\n", encoding="utf-8")
    return out / "index.html"
