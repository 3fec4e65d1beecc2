"""Reason codes for rows set aside in quarantine, and the reasons a whole file is refused.

The codes are stable: users filter on them, and `docs/data-contract.md` lists them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    rule: str  # the contract rule, in English
    swedish: str  # short Swedish label for users
    action: str  # what the producer of the export should do


REASONS: tuple[Reason, ...] = (
    Reason(
        "missing_value",
        "a required field is blank",
        "obligatoriskt värde saknas",
        "fill in the field in the case-management system and export again",
    ),
    Reason(
        "invalid_municipality",
        "not one of the 290 municipality codes (after restoring a lost leading zero)",
        "okänd kommunkod",
        "use the 4-digit SCB code, e.g. 0180 for Stockholm",
    ),
    Reason(
        "invalid_date",
        "a date that cannot be parsed, or before 2000-01-01, or after the day of loading",
        "ogiltigt datum",
        "write dates as YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY, between 2000-01-01 and today",
    ),
    Reason(
        "start_after_followup",
        "start_date later than followup_date",
        "startdatum efter uppföljningsdatum",
        "check both dates; the intervention must start before its follow-up",
    ),
    Reason(
        "invalid_code",
        "sex, age_group, target_group, main_substance, intervention or completed outside its list",
        "ogiltig kod",
        "use one of the codes of the contract's code list for the column",
    ),
    Reason(
        "substance_mismatch",
        "main_substance blank for missbruk, or given for another target group",
        "huvuddrog stämmer inte med målgrupp",
        "give huvuddrog for malgrupp missbruk only",
    ),
    Reason(
        "invalid_need",
        "a need flag that is not 1/0/ja/nej",
        "ogiltigt behov",
        "write the need flag as 1 or 0 (ja or nej)",
    ),
    Reason(
        "invalid_rating",
        "a rating or satisfaction outside its scale",
        "ogiltig skattning",
        "ratings are 1-4 (9 or blank: not answered); satisfaction 1-5 (9 or blank)",
    ),
    Reason(
        "rating_without_need",
        "a rating 1-4 in an area whose need flag is 0",
        "skattning utan behov",
        "leave the rating blank (or 9) where there was no need, or correct the need flag",
    ),
    Reason(
        "duplicate_in_file",
        "the same (municipality_code, record_id) earlier in the same file",
        "dubblett i filen",
        "deliver each follow-up once per file; only its first occurrence in the file can load",
    ),
)
REASON_CODES: tuple[str, ...] = tuple(r.code for r in REASONS)
REASON_BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}

#: Why a whole file can be refused (the load_files.message starts with one of these).
REFUSAL_UNREADABLE = "unreadable"
REFUSAL_MISSING_COLUMNS = "missing_columns"
REFUSAL_IDENTITY_NUMBER = "identity_number"
REFUSAL_CODES: tuple[str, ...] = (
    REFUSAL_UNREADABLE,
    REFUSAL_MISSING_COLUMNS,
    REFUSAL_IDENTITY_NUMBER,
)
