"""The documentation is checked against the code, as datasette checks its own: every table and
column of the store is in docs/tables.md, every `UIV_*` setting and command-line option in the
README, every module in docs/architecture.md. A new table, setting, option or module fails here
until it is written down."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from conftest import build_sample_store
from pipelines.cli import build_parser
from uiv_schema.codes import AREAS
from uiv_schema.indicators import INDICATORS
from uiv_schema.results import CELL_KEY

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "docs" / "tables.md"
README = ROOT / "README.md"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
HEADING = re.compile(r"^#{2,3} +`?(?P<name>[a-z_]+)`?( +[–-] |$)")


def documented_tables() -> dict[str, set[str]]:
    """Table → the column names its section of docs/tables.md documents: the backticked names in
    the first cell of its table rows (`need_<area>` stands for one column per life area, `x:<id>`
    for one per catalogue indicator, a row *cell key* for the eight key columns), plus the columns
    of a table it says it holds all the columns of."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in TABLES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            match = HEADING.match(line)
            current = match.group("name") if match else None
            if current:
                sections[current] = []
        elif current:
            sections[current].append(line)
    columns: dict[str, set[str]] = {}
    for table, lines in sections.items():
        names = set()
        for line in lines:
            if line.startswith("| *cell key*"):
                names |= set(CELL_KEY)
            elif line.startswith("| `"):
                for name in re.findall(r"`([^`]+)`", line.split("|")[1]):
                    if "<area>" in name:
                        names |= {name.replace("<area>", area) for area in AREAS}
                    elif "<id>" in name:
                        names |= {name.replace("<id>", indicator.id) for indicator in INDICATORS}
                    else:
                        names.add(name)
        columns[table] = names
    for table, lines in sections.items():
        for inherited in re.findall(r"[Aa]ll the columns of `([a-z_]+)`", "\n".join(lines)):
            columns[table] |= columns.get(inherited, set())
    return columns


def test_the_tables_page_is_read_as_intended():
    columns = documented_tables()
    assert {"load_files", "followups", "quarantine", "indicators"} <= set(columns)
    assert {"need_missbruk", "rating_krim", "source_line"} <= columns["followups"]
    assert "replaced_at" in columns["followups_history"] and "record_id" in columns["followups_history"]
    assert set(CELL_KEY) <= columns["comparisons"] and "n:satisfied_share" in columns["indicator_sums"]


def test_every_table_and_column_of_the_store_is_documented(tmp_path):
    con = build_sample_store(tmp_path, publish=True)
    stored = con.execute("""
        SELECT table_name, column_name FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
        ORDER BY table_name, column_index""").fetchall()
    con.close()
    documented = documented_tables()
    missing = [f"{table}.{column}" for table, column in stored if column not in documented.get(table, set())]
    assert len({table for table, _ in stored}) >= 12 and missing == []


def test_every_setting_and_option_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    settings = {name for path in (ROOT / "pipelines").glob("*.py")
                for name in re.findall(r"\bUIV_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    options = {option for command in commands.values() for action in command._actions
               for option in action.option_strings if option.startswith("--") and option != "--help"}
    assert {"UIV_DB", "UIV_MIN_N"} <= settings and {"--db", "--min-n"} <= options
    assert sorted(name for name in settings | options if name not in readme) == []
    assert sorted(f"uiv {name}" for name in commands if f"uiv {name}" not in readme) == []


@pytest.mark.parametrize("folder", ["uiv_core", "uiv_schema", "assets", "pipelines", "bench"])
def test_every_module_is_named_in_the_architecture_page(folder):
    page = ARCHITECTURE.read_text(encoding="utf-8")
    modules = [p for p in (ROOT / folder).rglob("*.py") if p.name != "__init__.py"]
    unnamed = [str(p.relative_to(ROOT)) for p in modules
               if f"`{p.stem}`" not in page and f"{p.stem}.py" not in page]
    assert modules and unnamed == []
