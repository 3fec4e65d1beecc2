"""Code lists of the UIV export contract v1 (`docs/data-contract.md`).

Plain data, no I/O: every other module takes its codes from here.
"""

CONTRACT_VERSION = "uiv-export-v1"

#: The nine life areas, in the order the contract lists them.
AREAS: tuple[str, ...] = (
    "missbruk",
    "boende",
    "syssel",
    "ekonomi",
    "fysisk",
    "psykisk",
    "relationer",
    "foralder",
    "krim",
)

SEXES: tuple[str, ...] = ("K", "M", "X")
AGE_GROUPS: tuple[str, ...] = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
TARGET_GROUPS: tuple[str, ...] = ("missbruk", "spel", "psykisk", "vald", "hemloshet")
#: The target group for which main_substance is required (and only there allowed).
SUBSTANCE_TARGET_GROUP = "missbruk"
SUBSTANCES: tuple[str, ...] = (
    "alkohol",
    "amfetamin",
    "cannabis",
    "opioider",
    "kokain",
    "lugnande",
    "annat",
)
INTERVENTIONS: tuple[str, ...] = (
    "oppenvard",
    "institution",
    "familjehem",
    "stodboende",
    "boendestod",
    "kontaktperson",
    "annat",
)
COMPLETED: tuple[str, ...] = ("ja", "avbrutet", "pagar")

#: Accepted need flags and what they mean.
NEED_VALUES: dict[str, int] = {"1": 1, "0": 0, "ja": 1, "nej": 0}

#: Ratings of change per area: 4 markedly better .. 1 worse; 9 or blank = not answered.
RATINGS: tuple[int, ...] = (1, 2, 3, 4)
SATISFACTION: tuple[int, ...] = (1, 2, 3, 4, 5)
NOT_ANSWERED = 9

#: Dates: the three accepted forms, as strptime formats.
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y")
EARLIEST_DATE = "2000-01-01"

RECORD_ID_MAX_LENGTH = 64
