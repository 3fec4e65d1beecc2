"""The 290 Swedish municipalities, their counties and their kommungrupp (reference data shipped
in the package).

Sources: `sjbrg/swedish-geodata`, data/municipality_county.csv (commit 03b0a24), CC0 1.0; SKR,
Kommungruppsindelning 2023 (`kommungrupp_2023.csv`, see `kommungrupp_2023.SOURCE.md`).
"""

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV shipped in this package."""
    with (resources.files("uiv_schema") / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Municipality:
    code: str  # 4-digit SCB code, zero-padded: "0180"
    name: str  # short name: "Stockholm"
    county_code: str  # 2-digit county code: "01"
    county_name: str  # "Stockholms län"


@cache
def municipalities() -> dict[str, Municipality]:
    """All 290 municipalities by code, in code order."""
    rows = _csv_rows("municipalities.csv")
    return {
        row["municipality_code"]: Municipality(
            code=row["municipality_code"],
            name=row["municipality_name_short"],
            county_code=row["county_code"],
            county_name=row["county_name"],
        )
        for row in sorted(rows, key=lambda r: r["municipality_code"])
    }


#: how the groups are cited wherever they are shown
KOMMUNGRUPP_SOURCE = "SKR, Kommungruppsindelning 2023"


@dataclass(frozen=True)
class Kommungrupp:
    code: str  # "A1" … "C9"
    name: str  # "Storstäder"


@cache
def kommungrupper() -> dict[str, Kommungrupp]:
    """Every municipality's group in SKR's Kommungruppsindelning 2023, by municipality code."""
    return {row["municipality_code"]: Kommungrupp(row["kommungrupp_code"], row["kommungrupp_name"])
            for row in sorted(_csv_rows("kommungrupp_2023.csv"), key=lambda r: r["municipality_code"])}


def municipality_codes() -> frozenset[str]:
    return frozenset(municipalities())


@cache
def counties() -> dict[str, str]:
    """The 21 counties: 2-digit code → name ("01" → "Stockholms län"), in code order."""
    return dict(sorted({m.county_code: m.county_name for m in municipalities().values()}.items()))


def unit_name(unit_type: str, unit_code: str) -> str:
    """The Swedish name of an indicator unit: a municipality, a county (00LL), the country, a group."""
    if unit_type == "kommun":
        return municipalities()[unit_code].name
    if unit_type == "lan":
        return counties()[unit_code[-2:]]
    if unit_type == "riket":
        return "Riket"
    return unit_code  # a peer group is called by its name
