"""The quality page under out/quality: the checks' results as one offline HTML page (GX's own Data
Docs load Bootstrap, jQuery and Vega from CDNs, so they would not work from file://) and the
same results as JSON (checks.json), both deterministic apart from the run stamp."""

from __future__ import annotations

from pathlib import Path

import jinja2

from uiv_core.publish.folders import replacing_folder
from uiv_core.ingest.quality import CheckOutcome, outcomes_json
from uiv_schema.labels import QUALITY_CHECK_LABELS, QUALITY_DETAIL_LABELS, QUALITY_LABELS


def _shown(value) -> str:
    """A detail value as a reader wants it: lists and mappings spelled out, nothing as '–'."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) or "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value) or "–"
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def write_quality_page(outcomes: list[CheckOutcome], out: Path, run_stamp: str) -> Path:
    out = Path(out)
    env = jinja2.Environment(loader=jinja2.PackageLoader("uiv_core.publish", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["shown"] = _shown
    checks = [{**vars(o), "title": QUALITY_CHECK_LABELS[o.name][0], "description": QUALITY_CHECK_LABELS[o.name][1],
               "details": {QUALITY_DETAIL_LABELS.get(k, k): v for k, v in o.details.items()}} for o in outcomes]
    summary = QUALITY_LABELS["summary"].format(passed=sum(o.passed for o in outcomes), total=len(outcomes))
    page = env.get_template("quality.html").render(labels=QUALITY_LABELS, checks=checks, summary=summary,
                                                   run_stamp=run_stamp)
    with replacing_folder(out) as folder:  # swapped in whole: never half a page
        (folder / "index.html").write_text(page, encoding="utf-8")
        (folder / "checks.json").write_text(outcomes_json(outcomes) + "\n", encoding="utf-8")
    return out / "index.html"
