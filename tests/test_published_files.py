"""Everything published, end to end: `uiv refresh` through Dagster on the sample data writes the
report and the exports; a real browser opens the pages; no suppressed number leaks into any file.

The leak check reads back every published file (HTML with the JSON inside the figures, xlsx, csv,
parquet), collects every number in it, and proves that no value or confidence limit of a hidden
cell is among them (numbers that a published cell shares are not evidence and are set aside).
A second test shows the check has teeth: revealing one hidden cell makes it fail.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from browser import Browser, chromium_available
from pipelines.settings import Settings

EXPORTS_IN = Path(__file__).resolve().parent.parent / "data_samples" / "exports"
HIDDEN_FIELDS = ("value", "ci95_low", "ci95_high", "ci998_low", "ci998_high")
CHECKS: dict[str, bool] = {}  # the sample refresh's asset-check outcomes (set by the fixture)
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


@pytest.fixture(scope="module")
def published_run(tmp_path_factory):
    from pipelines.refresh import run_refresh

    folder = tmp_path_factory.mktemp("published")
    settings = Settings(db=str(folder / "uiv.duckdb"), inbox=str(EXPORTS_IN), out=str(folder / "out"))
    result = run_refresh(settings, run_config=None)
    assert result.success
    CHECKS.update(result.checks())
    return settings, Path(settings.out)


def test_every_data_set_check_passes_on_the_sample_and_the_quality_page_is_offline(published_run):
    _, out = published_run
    checks = dict(CHECKS)
    assert checks == {name: True for name in (
        "no_refused_files", "contract_quarantine_share", "rows_per_municipality", "no_municipality_vanished",
        "ratings_complete", "ratings_plausible", "rating_means_plausible")}
    page = (out / "quality" / "index.html").read_text(encoding="utf-8")
    assert "7 av 7 kontroller godkända" in page
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert json.loads((out / "quality" / "checks.json").read_text(encoding="utf-8"))[0]["passed"] is True


def _numbers_in_text(text: str) -> set[float]:
    found = set()
    for token in _NUMBER.findall(text):
        token = token.replace(",", ".")
        try:
            found.add(round(float(token), 9))
        except ValueError:
            continue
    return found


def published_numbers(out: Path) -> dict[str, set[float]]:
    """Every number in every published file, by file."""
    numbers: dict[str, set[float]] = {}
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".csv", ".svg"):
            numbers[str(path)] = _numbers_in_text(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                text = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
            numbers[str(path)] = _numbers_in_text(text)
        elif path.suffix == ".parquet":
            table = pq.read_table(path)
            values = set()
            for column in table.column_names:
                for value in table.column(column).to_pylist():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        values.add(round(float(value), 9))
            numbers[str(path)] = values
    return numbers


def hidden_numbers(db: str) -> set[float]:
    """Values and limits of hidden cells that no published cell shares (so their presence is a leak)."""
    con = duckdb.connect(db, read_only=True)
    try:
        keys = "period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id"
        hidden = con.execute(f"""
            SELECT {", ".join("i." + f for f in HIDDEN_FIELDS)}
            FROM indicators i JOIN published_indicators p USING ({keys}) WHERE p.suppression IS NOT NULL""").fetchall()
        shown = con.execute(f"SELECT {', '.join(HIDDEN_FIELDS)} FROM published_indicators WHERE suppression IS NULL").fetchall()
        # a peer group's median of its members' published values is published knowledge too (it
        # may equal a hidden value elsewhere by coincidence: 255/286 in both places)
        medians = con.execute("""
            SELECT median(p.value) FROM published_indicators p JOIN peer_groups g ON g.municipality_code = p.unit_code
            WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.breakdown = 'alla' AND p.value IS NOT NULL
            GROUP BY p.period, g.peer_group, p.target_group, p.indicator_id""").fetchall()
        # a pooled goal baseline is two published windows added up (test_goals recomputes it from
        # them): its value and limits are published knowledge, equal to a hidden one only by chance
        pooled = con.execute("""SELECT baseline_value, baseline_ci95_low, baseline_ci95_high FROM published_baselines
                                WHERE baseline_quarters = 8""").fetchall()
    finally:
        con.close()
    visible = {round(v, 9) for row in shown + medians + pooled for v in row if v is not None}
    secret = {round(v, 9) for row in hidden for v in row if v is not None}
    # Integers and round numbers (0 %, 100 %, 50 %) are everywhere, and a value with at most two
    # decimals (a mean of 2.43) equals the rounded display of many shown ones: only values with
    # more decimals than any page or workbook shows are evidence.
    return {v for v in secret - visible if v != round(v, 2)}


def find_leaks(secret: set[float], out: Path) -> list[tuple[str, float]]:
    return [(path, v) for path, numbers in published_numbers(out).items() for v in sorted(numbers & secret)]


def test_refresh_writes_the_report_and_every_export(published_run):
    _, out = published_run
    report = out / "report"
    assert (report / "index.html").is_file() and (report / "metod.html").is_file()
    assert (report / "assets" / "plotly.min.js").stat().st_size > 3_000_000
    assert len(list((report / "kommun").glob("*.html"))) >= 20
    assert {p.stem for p in (report / "lan").glob("*.html")} == {"01", "03", "12", "14"}
    images = list((report / "lan").rglob("*.png")) + list((report / "lan").rglob("*.svg"))
    # images need a Chrome/Chromium (.ci/run installs Debian's); without one the report is whole without them
    assert len(images) >= (8 if chromium_available() else 0)
    assert all(p.read_bytes()[:4] in (b"\x89PNG", b"<svg") for p in images)
    exports = out / "exports"
    assert {"indicatorer.xlsx", "indicatorer.csv", "indicators.parquet"} <= {p.name for p in exports.iterdir()}
    assert (exports / "malunderlag_0180.xlsx").is_file()


def test_without_configuration_pages_exports_and_baselines_compare_with_the_kommungrupp(published_run):
    """No peer-group setting: SKR's kommungrupper are the peers. Stockholm's page opens with the
    ten-second summary (counted here from the published comparisons), has a column for its group
    (Storstäder) and cites SKR; its baselines and goal workbook name the group."""
    import html

    from openpyxl import load_workbook

    from uiv_schema.indicators import INDICATOR_BY_ID
    from uiv_schema.labels import REPORT_LABELS
    from uiv_schema.municipalities import KOMMUNGRUPP_SOURCE

    settings, out = published_run
    con = duckdb.connect(settings.db, read_only=True)
    rows = con.execute("""
        SELECT c.indicator_id, c.significance, c.quartile FROM published_comparisons c
        WHERE c.unit_code = '0180' AND c.benchmark_unit_type = 'riket' AND c.period_type = 'rolling4q'
          AND c.target_group = 'alla' AND c.breakdown = 'alla'
          AND c.period = (SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')""").fetchall()
    groups = con.execute("SELECT DISTINCT peer_group FROM published_baselines WHERE unit_code = '0180'").fetchall()
    # Stockholm's place for the dropout share (lower is better) among the published municipal values
    dropout = con.execute("""
        SELECT p.unit_code, p.value, g.peer_group FROM published_indicators p
        LEFT JOIN peer_groups g ON g.municipality_code = p.unit_code
        WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.target_group = 'alla'
          AND p.breakdown = 'alla' AND p.indicator_id = 'dropout_share' AND p.value IS NOT NULL
          AND p.period = (SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')""").fetchall()
    con.close()
    own = next(v for c, v, _ in dropout if c == "0180")
    peers = [v for c, v, g in dropout if g == "Storstäder"]
    place = (f"{1 + sum(v < own for _, v, _ in dropout)} av {len(dropout)} · "
             f"{1 + sum(v < own for v in peers)} av {len(peers)}")
    rows = [r for r in rows if INDICATOR_BY_ID[r[0]].polarity]
    count = {word: sum(r[1] == word for r in rows) for word in ("bättre", "likvärdig", "sämre", "ej jämförbar")}
    expected = REPORT_LABELS["summary"].format(
        better=count["bättre"], similar=count["likvärdig"], worse=count["sämre"], unknown=count["ej jämförbar"],
        best=sum(r[2] == 1 for r in rows), ranked=sum(r[2] is not None for r in rows))
    page = html.unescape((out / "report" / "kommun" / "0180.html").read_text(encoding="utf-8"))
    assert count["bättre"] + count["sämre"] > 0 and expected in page
    assert page.index(expected) < page.index("<table")  # before anything else
    assert "Kommungruppen" in page and "kommungruppen Storstäder" in page and KOMMUNGRUPP_SOURCE in page
    assert "Plats i riket · i gruppen" in page and place in page
    assert groups == [("Storstäder",)]
    sheet = load_workbook(out / "exports" / "malunderlag_0180.xlsx", read_only=True).worksheets[1]
    assert "Storstäder" in {cell for row in sheet.iter_rows(values_only=True) for cell in row}


def test_municipality_page_answers_for_every_target_group(published_run):
    """Each target group with published cells has its panel: the summary against the country, the
    county and the kommungrupp (counted here from published_comparisons), the life-area overview
    (9 areas × 5 measures, coloured by the significance against the country), the profile ordered
    by life area, the breakdowns (values as published, `..` where hidden) and the goals."""
    import html

    from uiv_schema.indicators import INDICATOR_BY_ID
    from uiv_schema.labels import AREA_LABELS, REPORT_LABELS, TARGET_GROUP_LABELS

    settings, out = published_run
    con = duckdb.connect(settings.db, read_only=True)
    latest = "(SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')"
    rows = con.execute(f"""
        SELECT c.target_group, c.indicator_id, c.benchmark_unit_type, c.significance FROM published_comparisons c
        WHERE c.unit_code = '0180' AND c.period_type = 'rolling4q' AND c.breakdown = 'alla' AND c.period = {latest}
    """).fetchall()
    breakdown = con.execute(f"""
        SELECT target_group, breakdown_value, value, suppression FROM published_indicators
        WHERE unit_code = '0180' AND unit_type = 'kommun' AND period_type = 'rolling4q' AND period = {latest}
          AND breakdown = 'sex' AND indicator_id = 'satisfied_share'""").fetchall()
    con.close()
    page = html.unescape((out / "report" / "kommun" / "0180.html").read_text(encoding="utf-8"))
    groups = sorted({r[0] for r in rows})
    assert set(groups) == set(TARGET_GROUP_LABELS)  # Stockholm has every target group
    for group in groups:
        start = page.index(f'id="panel-{group}"')
        end = page.find('<section class="panel', start + 10)
        panel = page[start:end if end > 0 else len(page)]
        counts = {}
        for benchmark in ("riket", "lan", "grupp"):
            words = [r[3] for r in rows if r[0] == group and r[2] == benchmark and INDICATOR_BY_ID[r[1]].polarity]
            counts[benchmark] = {w: words.count(w) for w in ("bättre", "likvärdig", "sämre", "ej jämförbar")}
        county = REPORT_LABELS["summary_county"].format(
            better=counts["lan"]["bättre"], similar=counts["lan"]["likvärdig"], worse=counts["lan"]["sämre"],
            unknown=counts["lan"]["ej jämförbar"])
        peers = REPORT_LABELS["summary_group"].format(
            better=counts["grupp"]["bättre"], similar=counts["grupp"]["likvärdig"], worse=counts["grupp"]["sämre"],
            unknown=counts["grupp"]["ej jämförbar"], group="Storstäder")
        assert county in panel and peers in panel, group
        assert f'for="tg-{group}"' in page and TARGET_GROUP_LABELS[group] in page
        overview = panel[panel.index(REPORT_LABELS["overview_title"]):panel.index(REPORT_LABELS["profile_title"])]
        assert overview.count("<tr>") == 1 + 9 and all(AREA_LABELS[a] in overview for a in AREA_LABELS)
        profile = panel[panel.index(REPORT_LABELS["profile_title"]):]
        assert profile.index(AREA_LABELS["missbruk"]) < profile.index(AREA_LABELS["krim"])
        assert REPORT_LABELS["goals_title"] in panel
    # trend arrows for every indicator: mean ratings too (alla, Stockholm: enough quarters)
    start = page.index(REPORT_LABELS["profile_title"], page.index('id="panel-alla"'))
    profile = page[start:page.index("</table>", start)]
    means = [row for row in profile.split("<tr>") if row.startswith('<td class="">Medelskattning')]
    assert len(means) == 9
    arrows = [row for row in means if re.search(r">[↑↓→] ", row)]
    assert len(arrows) >= len(means) // 2 and all("Kan inte beräknas" in row for row in means if row not in arrows)
    # the breakdown by sex of 'alla': each published satisfied share as on the page, '..' if hidden
    panel = page[page.index('id="panel-alla"'):page.index('<section class="panel', page.index('id="panel-alla"') + 10)]
    sex = panel[panel.index("<caption>", panel.index(REPORT_LABELS["breakdown_title"])):]
    sex = sex[:sex.index("</table>")]
    for group, value_code, value, suppression in breakdown:
        if group != "alla":
            continue
        label = {"K": "Kvinnor", "M": "Män", "X": "Annat/uppgift saknas"}[value_code]
        row = sex[sex.index(f">{label}<"):]
        cells = re.findall(r'<td class="[^"]*">([^<]*)</td>', row[:row.index("</tr>")])
        expected = ".." if suppression else f"{value:.1f}".replace(".", ",") + " %"
        assert cells[-2] == expected, (value_code, cells)


def test_the_methods_page_is_swedish_for_managers_with_figures_of_this_run(published_run):
    """metod.html: Swedish, no code ids, environment variables or developer pages; a glossary; its
    figures are those of the published tables (the country's follow-ups and value, the smallest
    and largest baseline's detectable change); no example works out a hidden cell."""
    import html

    from uiv_core.publish import swedish

    settings, out = published_run
    page = html.unescape((out / "report" / "metod.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page[page.index("<main>"):]))
    for term in ("Konfidensintervall", "Signifikans", "Kvartil", "Minsta påvisbara förändring",
                 "Jämförelsegrupp", "dolt för att skydda en annan cell"):
        assert term in text, term
    assert not re.search(r"\b[a-z]+_[a-z_]+(\.[a-z]+)?\b", text.replace("docs/methods.md", ""))  # no ids
    assert "UIV_" not in text and ".md\"" not in page and "tables.md" not in page
    assert "Stockholm" not in text  # no hard-coded municipality example
    con = duckdb.connect(settings.db, read_only=True)
    latest = "(SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')"
    followups, value = con.execute(f"""
        SELECT max(denominator) FILTER (WHERE indicator_id = 'need_share.missbruk'),
               max(value) FILTER (WHERE indicator_id = 'improved_share.missbruk')
        FROM published_indicators WHERE unit_type = 'riket' AND target_group = 'alla' AND breakdown = 'alla'
          AND period_type = 'rolling4q' AND period = {latest}""").fetchall()[0]
    changes = con.execute(f"""
        SELECT baseline_n, min_detectable_change FROM published_baselines
        WHERE period = {latest} AND target_group = 'alla' AND indicator_id = 'improved_share.missbruk'
          AND min_detectable_change IS NOT NULL ORDER BY baseline_n, unit_code""").fetchall()
    con.close()
    assert f"följdes {swedish.count(followups)} insatser" in text and swedish.number(value) in text
    for n, change in (changes[0], changes[-1]):
        assert f"n = {swedish.count(n)}" in text and swedish.change(change, long=True) in text


def test_every_link_of_the_report_leads_somewhere(published_run):
    """Navigation: every relative link of every page (the downloads, the quality page, county →
    municipality pages, the methods page) points at a file the refresh wrote."""
    _, out = published_run
    broken, seen = [], 0
    for page in (out / "report").rglob("*.html"):
        for href in re.findall(r"""href=["']([^"'#]+)""", page.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            seen += 1
            if not (page.parent / href).resolve().exists():
                broken.append((str(page.relative_to(out)), href))
    county = (out / "report" / "lan" / "01.html").read_text(encoding="utf-8")
    assert seen > 100 and broken == [] and 'href="../kommun/0180.html"' in county


def test_pages_work_offline_with_no_cdn_and_no_external_fonts(published_run):
    _, out = published_run
    for page in (out / "report").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "https://" not in text.replace("https://github.com", ""), page
        assert "cdn." not in text and "fonts.googleapis" not in text, page


def test_no_suppressed_value_or_limit_appears_in_any_published_file(published_run):
    settings, out = published_run
    secret = hidden_numbers(settings.db)
    assert len(secret) > 1000  # the check has material to work on
    assert find_leaks(secret, out) == []


def test_the_leak_check_fails_when_one_hidden_cell_is_shown(published_run, tmp_path):
    settings, out = published_run
    from uiv_core.publish.exports import write_exports
    from uiv_core.publish.report import build_report

    db = tmp_path / "leaky.duckdb"
    shutil.copy(settings.db, db)
    secret = hidden_numbers(str(db))
    con = duckdb.connect(str(db))
    keys = "period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id"
    # reveal one hidden municipal cell of the latest rolling period whose value is evidence
    cell = con.execute(f"""
        SELECT {keys}, i.value FROM indicators i JOIN published_indicators p USING ({keys})
        WHERE p.suppression = 'primär' AND i.unit_type = 'kommun' AND i.breakdown = 'alla'
          AND i.period_type = 'rolling4q' AND i.period = (SELECT max(period) FROM indicators WHERE period_type = 'rolling4q')
        ORDER BY i.unit_code, i.target_group, i.indicator_id""").fetchall()
    cell = next(c for c in cell if round(c[-1], 9) in secret)
    join = " AND ".join(f"p.{k} = i.{k}" for k in keys.split(", "))
    where = " AND ".join(f"p.{k} = ?" for k in keys.split(", "))
    # published_indicators is a view over published_counts: showing the counts shows the figures
    con.execute(f"""UPDATE published_counts p SET numerator = i.numerator, denominator = i.denominator,
        sum_squares = i.sum_squares, suppression = NULL
        FROM indicator_counts i WHERE {join} AND {where}""", list(cell[:-1]))
    assert con.execute(f"SELECT value FROM published_indicators p WHERE {where}", list(cell[:-1])).fetchall() == \
        [(cell[-1],)]
    leaky_out = tmp_path / "out"
    write_exports(con, leaky_out / "exports", "2026-11-23 00:00")
    build_report(con, leaky_out / "report", "2026-11-23 00:00", 10)
    con.close()
    leaks = find_leaks(secret, leaky_out)  # the hidden numbers as they were before the reveal
    assert leaks, "revealing a hidden cell must be caught"
    assert {round(cell[-1], 9)} <= {v for _, v in leaks}


@pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed (.ci/run installs it)")
def test_a_real_browser_draws_every_chart_without_console_errors(published_run, tmp_path):
    _, out = published_run
    report = out / "report"
    browser = Browser()
    try:
        for page in ("index.html", "kommun/0180.html", "lan/01.html", "metod.html", "../quality/index.html"):
            result = browser.open((report / page).resolve().as_uri())
            (tmp_path / page.replace("../", "").replace("/", "_")).with_suffix(".png").write_bytes(result.screenshot)
            assert result.errors == [], (page, result.errors)
            assert result.charts == result.charts_drawn, page
            assert result.screenshot[:4] == b"\x89PNG" and len(result.screenshot) > 50_000, page
            if page.startswith(("kommun", "lan")):
                assert result.charts >= 3, page
    finally:
        browser.close()


@pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("width", [1400, 390])
def test_pages_fit_a_phone_and_a_desktop_and_open_with_the_summary(published_run, tmp_path, width):
    """At 1400 px and at a phone's 390 px: no page scrolls sideways (wide tables and charts scroll
    in their own box or shrink), the municipality pages open with the summary line and the colour
    legend, and no page logs an error. Screenshots are left in SCREENSHOTS (when set) for review."""
    import os

    _, out = published_run
    report = out / "report"
    measure = ("JSON.stringify({overflow: document.documentElement.scrollWidth - window.innerWidth,"
               " width: window.innerWidth,"
               " summary: (document.getElementById('summary') || {}).innerText || '',"
               " legend: document.querySelectorAll('#panel-alla .legend .chip').length,"
               " switched: (() => { const tab = document.querySelector('label[for=tg-missbruk]');"
               "   if (!tab) return null; tab.click();"
               "   const shown = getComputedStyle(document.getElementById('panel-missbruk')).display;"
               "   const hidden = getComputedStyle(document.getElementById('panel-alla')).display;"
               "   const extra = document.documentElement.scrollWidth - window.innerWidth;"
               "   document.querySelector('label[for=tg-alla]').click(); return [shown, hidden, extra]; })(),"
               " breakdowns: document.querySelectorAll('#panel-alla caption').length})")
    keep = Path(os.environ.get("SCREENSHOTS", tmp_path))
    browser = Browser(width=width, height=900)
    try:
        for page in ("kommun/0180.html", "kommun/1482.html", "lan/01.html", "index.html", "metod.html"):
            result = browser.open((report / page).resolve().as_uri(), evaluate=measure)
            (keep / f"{width}_{page.replace('/', '_')}.png").write_bytes(result.screenshot)
            found = json.loads(result.value)
            assert result.errors == [], (page, result.errors)
            assert found["width"] == width and found["overflow"] <= 1, (page, width, found)
            if page.startswith("kommun"):
                assert found["summary"].startswith("Jämfört med riket:") and found["legend"] == 4, page
                # the target-group switcher shows one panel at a time, still without sideways scroll
                assert found["switched"][:2] == ["block", "none"] and found["switched"][2] <= 1, (page, found)
                assert found["breakdowns"] >= 2, page
    finally:
        browser.close()
