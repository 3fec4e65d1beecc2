"""The SQL lives in named files under `uiv_core/*/sql/` (Jinja2 templates where a part must be
generated; values always as parameters), never in Python strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2
import pytest

from uiv_core.cells.indicators import _catalogue_parts, view_parts
from uiv_core.sql import FOLDERS, query

ROOT = Path(__file__).resolve().parent.parent

#: every SQL file of the package: the shared ones and each room's
SQL_FILES = sorted(p for folder in FOLDERS for p in folder.glob("*.sql"))
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|CREATE|DELETE|DROP|UPDATE|WITH|COPY|DESCRIBE|ALTER|UNPIVOT|SET|PRAGMA)\b")
#: every module of the package (transaction control in uiv_core.sql is not a query)
MODULES = sorted(str(p.relative_to(ROOT)) for folder in ("uiv_core", "assets", "pipelines")
                 for p in (ROOT / folder).rglob("*.py"))


def sql_literals(path: Path) -> list[tuple[int, str]]:
    """String literals (f-strings included) that start like an SQL statement."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STATEMENT.match(node.value):
            found.append((node.lineno, node.value.strip()[:60]))
        elif isinstance(node, ast.JoinedStr):
            head = "".join(v.value for v in node.values[:1] if isinstance(v, ast.Constant))
            if STATEMENT.match(head):
                found.append((node.lineno, head.strip()[:60]))
    return sorted(set(found))  # an f-string's leading part is also a constant of its own


@pytest.mark.parametrize("module", MODULES)
def test_the_module_holds_no_sql_statement(module):
    assert sql_literals(ROOT / module) == []


def test_the_detector_finds_sql_in_strings_and_f_strings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = "SELECT 1"\nb = f"DELETE FROM {t}"\nc = "selected items"\n', encoding="utf-8")
    assert [line for line, _ in sql_literals(sample)] == [1, 2]


def test_every_generated_indicator_statement_renders_from_the_catalogue():
    """Each templated statement of the indicator chain renders completely (a missing part is an
    error: StrictUndefined); running them is test_indicators' job."""
    parts = _catalogue_parts()
    rendered = {name: query(name, **parts, **view_parts(), partial=True) for name in (
        "indicator_finest", "indicator_sums_new", "indicator_periods", "indicator_units", "indicator_long",
        "indicator_cells", "indicators_view")}
    for name, sql in rendered.items():
        assert "{{" not in sql and "{%" not in sql, name
    numerators = set(re.findall(r'AS "x:([^"<]+)"', rendered["indicator_finest"]))
    assert numerators == {i.id for i in parts["indicators"]}


def test_every_sql_file_is_used_by_the_code():
    names = {p.stem for p in SQL_FILES if not p.stem.startswith("_")}
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("uiv_core", "assets", "pipelines")
                     for p in (ROOT / folder).rglob("*.py"))
    unused = sorted(n for n in names if f'"{n}"' not in code)
    assert unused == []


def test_a_missing_generated_part_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        query("drop_table")


def _parts_of(name: str) -> dict:
    """Sample generated parts for every template (the real catalogue and life areas)."""
    from uiv_core.publish.charts import CELL_COLUMNS
    from uiv_schema.codes import AREAS

    parts = {**_catalogue_parts(), **view_parts(), "areas": AREAS, "partial": True, "table": "some_table", "state": "some_state",
             "staged": "staged_export", "failures": "export_failures", "raw": "raw_export",
             "headers": ["lopnr", "kommunkod"], "extra": ["extra 1"], "column": "extra 1", "view": "some_view",
             "parallel": True, "trend_quarters": 8, "keys": ["period", "unit_code"], "figures": ["value"],
             "target_group": True, "paged": True, "staging_select": "SELECT 1 AS line_number",
             "selection": "ranked", "part": "all", "insert": True, "by_period": True, "mark": ".."}
    if name == "staging_select":
        from pathlib import Path as _Path

        from uiv_core.ingest.reading import RawExport
        from uiv_core.ingest.staging import HeaderMap, staging_parts

        headers = HeaderMap({"record_id": "lopnr", "municipality_code": "kommunkod"}, ["extra 1"])
        parts.update(staging_parts(RawExport(_Path("e.csv"), "raw_export", "csv", ["lopnr"], 0), headers))
    if name == "staged_export":
        from uiv_core.ingest.staging import suspect_parts

        parts.update(suspect_parts())
    if "adjusted" in name:
        from uiv_core.cells.adjusted import _parts as adjusted_parts

        parts.update(adjusted_parts())
    parts["limit"] = "1500MB"
    parts["columns"] = list(CELL_COLUMNS) if name == "chart_cells" else ["lopnr", "kommunkod"]
    return parts


STATEMENTS = sorted(p.stem for p in SQL_FILES if not p.stem.startswith("_"))


@pytest.mark.parametrize("name", STATEMENTS)
def test_every_statement_parses_as_duckdb_and_transpiles_to_spark_and_trino(name):
    """Portable SQL: moving the cells to a distributed engine is a dialect, not a rewrite
    (docs/scaling.md). SQLGlot must read each statement as DuckDB SQL and write it for Spark and
    Trino without an error."""
    import sqlglot

    sql = query(name, **_parts_of(name))
    parsed = sqlglot.parse(sql, read="duckdb")
    assert len([p for p in parsed if p is not None]) == 1, f"{name}: one statement per file"
    for dialect in ("spark", "trino"):
        assert sqlglot.transpile(sql, read="duckdb", write=dialect)[0].strip()


def test_a_statement_name_is_unique_across_the_rooms():
    names = [p.name for p in SQL_FILES]
    assert len(names) == len(set(names)) and len(FOLDERS) == 4 and all(folder.is_dir() for folder in FOLDERS)


def test_the_package_ships_what_it_reads_at_run_time():
    """A wheel holds the SQL files, the report templates and the methods text (the report's
    methods page): every such file matches a package-data pattern of pyproject.toml."""
    import fnmatch
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = data["package-data"]
    package = ROOT / "uiv_core"
    needed = [*SQL_FILES, *(package / "publish" / "templates").iterdir(), package / "publish" / "methods.md"]
    unshipped = []
    for path in needed:  # the package that holds the file (the innermost folder with __init__.py)
        owner = next(folder for folder in path.parents if (folder / "__init__.py").exists())
        name = ".".join(owner.relative_to(ROOT).parts)
        if name not in data["packages"] or not any(fnmatch.fnmatch(path.relative_to(owner).as_posix(), pattern)
                                                   for pattern in patterns.get(name, [])):
            unshipped.append(path.relative_to(ROOT).as_posix())
    assert needed and unshipped == []


def _result_codes() -> set[str]:
    from uiv_schema.results import RESULT_CODES

    return {code for group in vars(RESULT_CODES).values() for code in vars(group).values()}


def test_no_statement_spells_a_stored_result_code():
    """'grön', 'bättre', 'för_få_uppföljningar' ... come from uiv_schema.results (the `result`
    template global), so that a code changes in one place."""
    codes = _result_codes()
    spelled = []
    for path in SQL_FILES:
        text = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        spelled += [(path.name, code) for code in codes if f"'{code}'" in text]
    assert len(codes) == 17 and spelled == []


@pytest.mark.parametrize("module", MODULES)
def test_no_module_spells_a_stored_result_code(module):
    codes = _result_codes()
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value in codes] == []
