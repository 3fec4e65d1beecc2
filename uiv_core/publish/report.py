"""The HTML report under out/report: index, one page per municipality, one summary page per
county (Öppna jämförelser style, with PNG/SVG of every chart), and the methods page.

Reads only the published_* tables (`uiv_core.publish.publication`). Works offline from file://:
plotly.js is written once to assets/, no CDN, no external fonts. Deterministic: the same database
gives byte-identical pages; the one timestamp is the documented run stamp in every footer (the
time of the latest load, so an unchanged database keeps its stamp).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import duckdb
import jinja2
import pandas as pd
import plotly.io as pio
from plotly.offline.offline import get_plotlyjs

from uiv_core.publish import charts, exports, profile, swedish
from uiv_core.cells.adjusted import EXPECTED_FLOOR
from uiv_core.publish.adjusted_charts import adjusted_funnel_chart, adjusted_funnel_data
from uiv_core.publish.adjusted_page import adjusted_cells, adjusted_table
from uiv_core.publish.profile import table as _table
from uiv_core.publish.folders import replacing_folder
from uiv_core.publish.methods_page import method_figures
from uiv_core.publish.oj_workbook import file_name as oj_file_name
from uiv_core.sql import query
from uiv_core.publish.images import DEFAULT_TIMEOUT as DEFAULT_IMAGE_TIMEOUT, write_images
from uiv_schema.indicators import FOLLOWUPS_INDICATOR, INDICATOR_BY_ID, INDICATORS
from uiv_schema.labels import (
    COUNTRY_NAME,
    NO_PERIOD_NOTICE,
    REPORT_LABELS,
    SUPPRESSED_MARK,
    TARGET_GROUP_LABELS,
    TARGET_RULE_LABELS,
)
from uiv_schema.municipalities import KOMMUNGRUPP_SOURCE, counties, kommungrupper, municipalities
from uiv_schema.results import COLOUR

#: indicators shown in the county table and as key charts (one entry each: order = columns)
KEY_INDICATORS = (
    "improved_share.missbruk", "improved_share.boende", "improved_share.syssel",
    "improved_share.ekonomi", "improved_share.psykisk", "improved_share.relationer",
    "improved_share.foralder", "improved_share.krim", "satisfied_share", "dropout_share",
)
TREND_INDICATORS = ("improved_share.missbruk", "satisfied_share", "dropout_share")
RANKED_INDICATOR = "improved_share.missbruk"
COUNTY_RANKED = ("improved_share.missbruk", "satisfied_share")


@dataclass
class ReportContext:
    period: str | None  # latest rolling4q label; None before four quarters are loaded
    period_label: str
    run_stamp: str
    min_n: int


class Report:
    def __init__(self, con: duckdb.DuckDBPyConnection, out: Path, run_stamp: str, min_n: int):
        self.con = con
        self.out = Path(out)
        period = con.execute(query("latest_rolling_window")).fetchall()[0][0]
        self.context = ReportContext(period, swedish.period_in_sentence(period), run_stamp, min_n)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("uiv_core.publish", "templates"),
            autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True,
        )
        self.cells = con.execute(query("report_cells"), {"period": period}).fetchdf()
        self.images: dict[str, list[dict]] = {}

    # --- helpers ------------------------------------------------------------------------------

    @cached_property
    def peer_source(self) -> str:
        """The source to cite for the peer groups: SKR's where they are its kommungrupper."""
        groups = self.peer_group_of
        default = {code: group.name for code, group in kommungrupper().items()}
        return KOMMUNGRUPP_SOURCE if groups and all(default.get(c) == g for c, g in groups.items()) else ""

    @cached_property
    def downloads(self) -> list[dict]:
        """The files under out/exports that every page can link (`exports.write_exports` writes
        them; the ÖJ workbook is named by the latest rolling window)."""
        files = [("oj", oj_file_name(self.context.period))] if self.context.period else []
        files += [(part, name) for name, part in exports.WORKBOOKS.items()]
        files += [("csv", exports.CSV_FILE), ("parquet", exports.PARQUET_FILE)]
        return [{"file": name, "label": REPORT_LABELS["downloads"][key]} for key, name in files]

    def _render(self, template: str, path: Path, root: str, **values) -> None:
        page = self.env.get_template(template).render(
            root=root, run_stamp=self.context.run_stamp, min_n=self.context.min_n, downloads=self.downloads,
            period_label=self.context.period_label, peer_source=self.peer_source, **values,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")

    @staticmethod
    def _figure_html(figure, div_id: str) -> str:
        """A chart that takes the width of its column (a phone's too); the PNG/SVG images keep the
        figure's own width."""
        layout = {k: v for k, v in figure.get("layout", {}).items() if k != "width"}
        figure = {**figure, "layout": {**layout, "autosize": True}}
        chart = pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=div_id, validate=False,
                            config={"displaylogo": False, "responsive": True})
        return f'<div class="chart-frame">{chart}</div>'

    @cached_property
    def _cell_index(self) -> dict[tuple, object]:
        return {
            (row.unit_type, row.unit_code, row.indicator_id, row.target_group): row
            for row in self.cells.itertuples(index=False)
        }

    def _cell(self, unit_type: str, unit_code: str, indicator: str, target_group: str = "alla"):
        return self._cell_index.get((unit_type, unit_code, indicator, target_group))

    def municipalities_with_data(self) -> list[str]:
        return sorted(self.cells.loc[self.cells.unit_type == "kommun", "unit_code"].unique())

    # --- pages --------------------------------------------------------------------------------

    def write_assets(self) -> None:
        assets = self.out / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        css = resources.files("uiv_core.publish") / "templates" / "style.css"
        (assets / "style.css").write_text(css.read_text(encoding="utf-8"), encoding="utf-8")

    def write_index(self) -> None:
        codes = self.municipalities_with_data()
        by_county: dict[str, list] = {}
        for code in codes:
            by_county.setdefault(municipalities()[code].county_code, []).append(
                {"code": code, "name": municipalities()[code].name})
        entries = [
            {"code": county, "name": counties()[county], "municipalities": len(members),
             "members": sorted(members, key=lambda m: m["name"])}
            for county, members in sorted(by_county.items())
        ]
        self._render("index.html", self.out / "index.html", "", title=REPORT_LABELS["index_title"], counties=entries, charts=False,
                     notice=None if self.context.period else NO_PERIOD_NOTICE)

    def summary(self, code: str, target_group: str = "alla") -> dict:
        """The ten-second answer for one target group (`profile.summary`)."""
        return profile.summary(self._cell, code, target_group, self.peer_group_of.get(code))

    @cached_property
    def ranks(self) -> dict[tuple[str, str, str], str]:
        """(municipality, indicator, target group) → its place among the municipalities with a
        published value, in the country and in its peer group ("3 av 24 · 1 av 3"; ties share a
        place), for the indicators with a polarity."""
        cells = self.cells[(self.cells.unit_type == "kommun") & self.cells.value.notna()].copy()
        polarity = {i.id: i.polarity for i in INDICATORS}
        cells = cells[cells.indicator_id.map(polarity).notna()]
        cells["better"] = cells.value * cells.indicator_id.map(lambda i: 1 if polarity[i] == "higher" else -1)
        cells["group"] = cells.unit_code.map(self.peer_group_of)
        keys = ["target_group", "indicator_id"]
        cells["place"] = cells.groupby(keys).better.rank(method="min", ascending=False)
        cells["of"] = cells.groupby(keys).better.transform("size")
        in_group = cells[cells.group.notna()]
        cells["group_place"] = in_group.groupby([*keys, "group"]).better.rank(method="min", ascending=False)
        cells["group_of"] = in_group.groupby([*keys, "group"]).better.transform("size")
        label = REPORT_LABELS["rank"]
        return {(r.unit_code, r.indicator_id, r.target_group):
                label.format(place=int(r.place), of=int(r.of)) + (
                    "" if r.group_place != r.group_place else
                    " · " + label.format(place=int(r.group_place), of=int(r.group_of)))
                for r in cells.itertuples(index=False)}

    def profile_table(self, code: str, target_group: str = "alla") -> str:
        return profile.profile_table(self._cell, self.ranks, code, "00" + municipalities()[code].county_code,
                                     self.peer_group_of.get(code), target_group)

    @cached_property
    def breakdown_cells(self) -> dict[tuple, object]:
        """(municipality, target group, breakdown, value, indicator) → published cell, for the
        breakdown section (one query for every page)."""
        wanted = [*profile.BREAKDOWN_INDICATORS, FOLLOWUPS_INDICATOR]
        frame = self.con.execute(query("report_breakdown_cells"),
                                 {"period": self.context.period, "indicators": wanted}).fetchdf()
        return {(r.unit_code, r.target_group, r.breakdown, r.breakdown_value, r.indicator_id): r
                for r in frame.itertuples(index=False)}

    def target_group_panels(self, code: str) -> list[dict]:
        """One panel per target group with published cells (alla first): summary, life-area
        overview, profile, breakdowns and goals. The page shows one at a time (a switcher, no script)."""
        panels = []
        for group, label in TARGET_GROUP_LABELS.items():
            summary = self.summary(code, group)
            if group != "alla" and summary["shown"] == 0:
                continue
            panels.append({
                "id": group, "label": label, "summary": summary,
                "overview": profile.area_overview(self._cell, code, group),
                "profile": self.profile_table(code, group),
                "breakdowns": profile.breakdown_tables(self.breakdown_cells, code, group),
                "goals": self.baseline_table(code, group),
                "adjusted": adjusted_table(self.adjusted_cells.get((code, group), [])),
            })
        return panels

    @cached_property
    def adjusted_cells(self) -> dict[tuple[str, str], list]:
        return adjusted_cells(self.con, self.context.period)

    @cached_property
    def baselines(self) -> dict[tuple[str, str], list]:
        grouped: dict[tuple[str, str], list] = {}
        frame = self.con.execute(query("published_baselines_sorted")).fetchdf()
        for row in frame.itertuples(index=False):
            grouped.setdefault((row.unit_code, row.target_group), []).append(row)
        return grouped

    def baseline_table(self, code: str, target_group: str) -> str:
        rows = []
        for row in self.baselines.get((code, target_group), []):
            unit = INDICATOR_BY_ID[row.indicator_id].unit
            indicator = INDICATOR_BY_ID[row.indicator_id]
            hidden = isinstance(row.suppression, str)
            note = swedish.goal_note(row.target_rule, row.yearly_n, row.min_detectable_change, unit,
                                     row.baseline_quarters, row.period)
            rows.append([
                (indicator.name_sv, ""),
                (swedish.number(row.baseline_value, unit), "num"),
                (swedish.interval(row.baseline_ci95_low, row.baseline_ci95_high, unit), "num"),
                (swedish.count(row.baseline_n), "num"),
                (swedish.number(row.country_value, unit), "num"),
                (swedish.number(row.county_value, unit), "num"),
                (swedish.shown(row.peer_median, unit), "num"),
                (swedish.shown(row.best_quartile_threshold, unit), "num"),
                (swedish.shown(row.best_published_value, unit), "num"),
                (swedish.change(row.min_detectable_change, unit) if not swedish.missing(row.min_detectable_change)
                 else swedish.shown(None, hidden=hidden), "num"),
                (swedish.shown(row.n_needed, hidden=hidden) if swedish.missing(row.n_needed)
                 else swedish.count(row.n_needed), "num"),
                (swedish.target(row.suggested_target, unit, row.target_rule, indicator.polarity), "num"),
                (TARGET_RULE_LABELS[row.target_rule] + (f": {note}" if note else ""), ""),
            ])
        return _table(list(REPORT_LABELS["baseline_headers"]), rows)

    @cached_property
    def _coverage(self) -> dict[str, tuple]:
        """{municipality: (shown rating-coverage numerator, denominator)} in the latest window."""
        rows = self.con.execute(query("report_rating_coverage"), {"period": self.context.period}).fetchall()
        return {code: (numerator, denominator) for code, numerator, denominator in rows}

    @cached_property
    def _shown_windows(self) -> dict[str, tuple]:
        """{municipality: (first, last rolling window with a shown value)}."""
        return {code: (first, last) for code, first, last in
                self.con.execute(query("report_shown_windows")).fetchall()}

    def data_note(self, code: str) -> dict:
        followups = self._cell("kommun", code, FOLLOWUPS_INDICATOR)
        coverage = self._coverage.get(code, (None, None))
        quarters = self._shown_windows.get(code, (None, None))
        last_load = self.context.run_stamp
        return {
            "followups": swedish.count(None if followups is None else followups.denominator),
            "coverage": swedish.number(None if not coverage[1] else 100 * coverage[0] / coverage[1]),
            "quarters": REPORT_LABELS["periods"].format(first=quarters[0], last=quarters[1])
            if quarters[0] else SUPPRESSED_MARK,
            "last_load": last_load,
        }

    # --- charts: data shared by every page is fetched once --------------------------------------

    @cached_property
    def spine_data(self) -> pd.DataFrame:
        return charts.chart_data_spine(self.con, self.context.period)

    @cached_property
    def ranked_data(self) -> dict[str, pd.DataFrame]:
        return {i: charts.chart_data_ranked(self.con, i, self.context.period, groups=True) for i in KEY_INDICATORS}

    @cached_property
    def trend_data(self) -> pd.DataFrame:
        """Every rolling period of the trend indicators for every unit (sliced per page below)."""
        return charts.chart_data_trends_all(self.con, list(TREND_INDICATORS))

    @cached_property
    def peer_group_of(self) -> dict[str, str]:
        return dict(self.con.execute(query("peer_group_of_each")).fetchall())

    def trend_slice(self, code: str, indicator: str) -> pd.DataFrame:
        data = self.trend_data
        county = "00" + municipalities()[code].county_code
        peer = self.peer_group_of.get(code)
        keep = (data.indicator_id == indicator) & (
            data.unit_code.isin([code, county, "0000"]) & (data.unit_type != "grupp")
            | (data.unit_type == "grupp") & (data.unit_code == peer))
        return data[keep].reset_index(drop=True)

    def peer_members(self, group: str | None) -> frozenset[str]:
        return frozenset(c for c, g in self.peer_group_of.items() if g == group) if group else frozenset()

    def municipality_figures(self, code: str) -> dict:
        peer = self.peer_group_of.get(code)
        return {
            "spine": charts.spine_chart(self.spine_data, code),
            "trends": [charts.trend_chart(self.trend_slice(code, i), code, i) for i in TREND_INDICATORS],
            "ranked": charts.ranked_chart(self.ranked_data[RANKED_INDICATOR], RANKED_INDICATOR, own_unit=code,
                                          peer_group=peer, peer_members=self.peer_members(peer)),
        }

    def county_figures(self, county: str) -> dict:
        figures = {"tartan": charts.tartan_chart(
            charts.chart_data_tartan(self.con, self.context.period, county_code=county), county_code=county,
            indicator_ids=list(KEY_INDICATORS))}
        for indicator in COUNTY_RANKED:
            in_county = charts.chart_data_ranked(self.con, indicator, self.context.period, county_code=county)
            figures[f"ranked_{indicator.replace('.', '_')}"] = charts.ranked_chart(
                in_county, indicator, county_code=county)
        ranked = self.ranked_data[RANKED_INDICATOR]
        figures["funnel"] = charts.funnel_chart(ranked[ranked.unit_type != "grupp"], RANKED_INDICATOR,
                                                county_code=county)
        try:  # the case-mix adjusted funnel: none when no municipality's adjusted cell is shown
            figures["funnel_adjusted"] = adjusted_funnel_chart(
                self.adjusted_funnel_data, RANKED_INDICATOR, swedish.period(self.context.period, "rolling4q"),
                county_code=county)
        except ValueError:
            pass
        return figures

    @cached_property
    def adjusted_funnel_data(self):
        return adjusted_funnel_data(self.con, self.context.period, RANKED_INDICATOR)

    def write_municipality(self, code: str) -> None:
        municipality = municipalities()[code]
        figures = self.municipality_figures(code)
        self._render(
            "municipality.html", self.out / "kommun" / f"{code}.html", "../",
            title=municipality.name, name=municipality.name, code=code, county_code=municipality.county_code,
            county_name=municipality.county_name, note=self.data_note(code),
            legend=profile.legend(),
            labels={**REPORT_LABELS, "adjusted_lead": REPORT_LABELS["adjusted_lead"].format(
                expected_floor=f"{EXPECTED_FLOOR:g}")},
            peer_group=self.peer_group_of.get(code),
            panels=self.target_group_panels(code),
            charts={
                "spine": self._figure_html(figures["spine"], f"spine-{code}"),
                "trends": [self._figure_html(f, f"trend-{code}-{i}") for i, f in enumerate(figures["trends"])],
                "ranked": self._figure_html(figures["ranked"], f"ranked-{code}"),
            },
        )

    def oj_table(self, county: str) -> str:
        codes = [c for c in self.municipalities_with_data() if municipalities()[c].county_code == county]
        rows = []
        for code in codes + ["00" + county, "0000"]:
            unit_type = "kommun" if len(code) == 4 and not code.startswith("00") else (
                "riket" if code == "0000" else "lan")
            name = municipalities()[code].name if unit_type == "kommun" else (
                COUNTRY_NAME if unit_type == "riket" else counties()[county])
            row = [(name, "")]
            for indicator_id in KEY_INDICATORS:
                cell = self._cell(unit_type, code, indicator_id)
                unit = INDICATOR_BY_ID[indicator_id].unit
                value = None if cell is None else cell.value
                colour = cell.colour if cell is not None and isinstance(cell.colour, str) else COLOUR.GREY
                row.append((swedish.number(value, unit), f"chip c-{colour}" if unit_type == "kommun" else "num"))
            rows.append(row)
        headers = [REPORT_LABELS["municipality"]] + [INDICATOR_BY_ID[i].name_sv for i in KEY_INDICATORS]
        return _table(headers, rows)

    def write_county(self, county: str, figures: dict, written: set) -> None:
        """The county page; `written`: the image files that exist (none when images were skipped)."""
        image_dir = self.out / "lan" / county
        images = [{"href": f"{county}/{p.name}", "label": p.name}
                  for p in sorted(image_dir.glob("*")) if p in written]
        codes = [c for c in self.municipalities_with_data() if municipalities()[c].county_code == county]
        self._render(
            "county.html", self.out / "lan" / f"{county}.html", "../",
            title=counties()[county], name=counties()[county], municipality_count=len(codes),
            members=sorted(({"code": c, "name": municipalities()[c].name} for c in codes), key=lambda m: m["name"]),
            oj_table=self.oj_table(county), images=images, images_missing=REPORT_LABELS["images_missing"],
            labels=REPORT_LABELS,
            charts={
                "tartan": self._figure_html(figures["tartan"], f"tartan-{county}"),
                "ranked": [self._figure_html(figures[k], f"{k}-{county}") for k in sorted(figures) if k.startswith("ranked")],
                "funnel": self._figure_html(figures["funnel"], f"funnel-{county}"),
                "funnel_adjusted": self._figure_html(figures["funnel_adjusted"], f"funnel-adjusted-{county}")
                if "funnel_adjusted" in figures else "",
            },
        )

    def write_methods(self) -> None:
        """metod.html: the methods for managers, in Swedish, with figures from this run (the
        developer's methods text is docs/methods.md)."""
        figures = method_figures(self.con, self.context.period, self.context.min_n)
        self._render("methods.html", self.out / "metod.html", "", title=REPORT_LABELS["methods_title"], f=figures,
                     charts=False)

def build_report(con: duckdb.DuckDBPyConnection, out: Path, run_stamp: str, min_n: int,
                 progress=lambda text: None, images: bool = True,
                 image_timeout: float = DEFAULT_IMAGE_TIMEOUT) -> dict:
    """Write the whole report into a new folder and swap it in as `out` at the end
    (`uiv_core.publish.folders`): a crash leaves the previous complete report. The county charts'
    PNG/SVG images are rendered in one batch, skipped with a note (`image_note`) when no
    Chrome/Chromium is found, images are off, or the batch overruns `image_timeout` seconds."""
    with replacing_folder(Path(out)) as folder:
        report = Report(con, folder, run_stamp, min_n)
        report.write_assets()
        report.write_index()
        report.write_methods()
        codes = report.municipalities_with_data()
        progress(f"report: writing {len(codes)} municipality pages ...")
        for number, code in enumerate(codes, start=1):
            report.write_municipality(code)
            if number % 25 == 0 or number == len(codes):
                progress(f"report: {number}/{len(codes)} municipality pages")
        county_codes = sorted({municipalities()[c].county_code for c in codes})
        figures = {county: report.county_figures(county) for county in county_codes}
        jobs = [job for county in county_codes
                for job in charts.image_jobs(figures[county], folder / "lan" / county)]
        if jobs:
            progress(f"report: {len(jobs)} chart images")
        rendered = write_images(jobs, timeout=image_timeout, enabled=images)
        if rendered.note:
            progress(rendered.note)
        written = set(rendered.written)
        for county in county_codes:
            report.write_county(county, figures[county], written)
        progress(f"report: {len(county_codes)} county pages")
    out = Path(out)
    return {"municipality_pages": len(codes), "county_pages": len(county_codes),
            "images": len(rendered.written), "image_note": rendered.note or "",
            "index": str(out / "index.html")}
