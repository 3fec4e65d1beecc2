"""Columns of the export: canonical (English) names, Swedish headers, header matching.

Header names in a file are matched case-insensitively after trimming, with the Swedish or the
English name. As a courtesy to hand-made files, å/ä → a, ö → o, and spaces, hyphens and
underscores are ignored, so `Ålders grupp` finds `aldersgrupp`, `Kön` finds `kon` and
`Record ID` finds `record_id`.
"""

from dataclasses import dataclass

from uiv_schema.codes import AREAS


@dataclass(frozen=True)
class Column:
    name: str  # canonical English name, used in tables
    swedish: str  # the Swedish header of the contract
    required: bool  # must be present as a column in every file
    description: str


def need_column(area: str) -> str:
    return f"need_{area}"


def rating_column(area: str) -> str:
    return f"rating_{area}"


NEED_COLUMNS: tuple[str, ...] = tuple(need_column(a) for a in AREAS)
RATING_COLUMNS: tuple[str, ...] = tuple(rating_column(a) for a in AREAS)

COLUMNS: tuple[Column, ...] = (
    Column("record_id", "lopnr", True, "pseudonymous follow-up id, unique within a municipality"),
    Column("municipality_code", "kommunkod", True, "4-digit SCB municipality code"),
    Column("followup_date", "uppfoljningsdatum", True, "date of the follow-up; decides the quarter"),
    Column("start_date", "startdatum", True, "date the intervention started"),
    Column("sex", "kon", True, "K, M or X"),
    Column("age_group", "aldersgrupp", True, "18-24 .. 65+"),
    Column("target_group", "malgrupp", True, "missbruk, spel, psykisk, vald, hemloshet"),
    Column("main_substance", "huvuddrog", True, "required for missbruk, blank otherwise"),
    Column("intervention", "insats", True, "type of intervention"),
    Column("completed", "genomford", True, "ja, avbrutet or pagar"),
    *(Column(need_column(a), f"behov_{a}", True, f"need in area {a} at start: 1/0") for a in AREAS),
    *(
        Column(rating_column(a), f"skattning_{a}", True, f"rating of change in area {a}: 1-4, 9")
        for a in AREAS
    ),
    Column("satisfaction", "nojdhet", False, "1-5, 9 or blank"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
SWEDISH_HEADER: dict[str, str] = {c.name: c.swedish for c in COLUMNS}

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": None, "-": None, "_": None})


def normalise_header(header: str) -> str:
    """The form in which headers are compared: lower case, å/ä/ö folded, no spaces/-/_."""
    return str(header).strip().lower().translate(_FOLD)


#: normalised header → canonical column name
HEADER_ALIASES: dict[str, str] = {
    **{normalise_header(c.name): c.name for c in COLUMNS},
    **{normalise_header(c.swedish): c.name for c in COLUMNS},
}


def canonical_column(header: str) -> str | None:
    """The canonical name of a header, or None for an unknown (extra) column."""
    return HEADER_ALIASES.get(normalise_header(header))
