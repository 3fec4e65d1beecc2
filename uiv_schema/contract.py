"""The pandera model of one follow-up row: the contract's row rules as a schema class.

It validates the *staged* row (see `uiv_core/ingest/staging.py`): every cell trimmed, blanks as null,
codes in canonical case, `ja`/`nej` mapped to `1`/`0`, decimal commas and `4,0` resolved, a lost
leading zero of the municipality code restored, the dates parsed (`followup_date`, `start_date`,
null when unparseable) beside their text (`followup_date_text`, `start_date_text`).

Every check is named after the quarantine reason code it enforces (`not_nullable` is pandera's
own name for a blank required field: reason `missing_value`), so a failure case maps to a
reason without a lookup table of messages scattered elsewhere.
"""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from uiv_schema.codes import (
    AGE_GROUPS,
    COMPLETED,
    EARLIEST_DATE,
    INTERVENTIONS,
    NOT_ANSWERED,
    RATINGS,
    RECORD_ID_MAX_LENGTH,
    SATISFACTION,
    SEXES,
    SUBSTANCE_TARGET_GROUP,
    SUBSTANCES,
    TARGET_GROUPS,
)
from uiv_schema.columns import NEED_COLUMNS, RATING_COLUMNS
from uiv_schema.municipalities import municipality_codes

#: code list of each coded column (invalid_code)
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "sex": SEXES,
    "age_group": AGE_GROUPS,
    "target_group": TARGET_GROUPS,
    "main_substance": SUBSTANCES,
    "intervention": INTERVENTIONS,
    "completed": COMPLETED,
}
RATING_VALUES = tuple(str(r) for r in (*RATINGS, NOT_ANSWERED))
SATISFACTION_VALUES = tuple(str(s) for s in (*SATISFACTION, NOT_ANSWERED))
NEED_VALUES = ("1", "0")  # after staging maps ja/nej
ANSWERED_RATINGS = tuple(str(r) for r in RATINGS)


def _required() -> pa.Field:
    return pa.Field(nullable=False)


def _optional() -> pa.Field:
    return pa.Field(nullable=True)


class FollowupRow(pa.DataFrameModel):
    """One staged follow-up row. Columns not listed here (line_number, extras) pass through."""

    record_id: Series[str] = _required()
    municipality_code: Series[str] = _required()
    followup_date_text: Series[str] = _required()
    start_date_text: Series[str] = _required()
    followup_date: Series[pd.Timestamp] = _optional()
    start_date: Series[pd.Timestamp] = _optional()
    load_date: Series[pd.Timestamp] = _required()
    sex: Series[str] = _required()
    age_group: Series[str] = _required()
    target_group: Series[str] = _required()
    main_substance: Series[str] = _optional()
    intervention: Series[str] = _required()
    completed: Series[str] = _required()
    need_missbruk: Series[str] = _required()
    need_boende: Series[str] = _required()
    need_syssel: Series[str] = _required()
    need_ekonomi: Series[str] = _required()
    need_fysisk: Series[str] = _required()
    need_psykisk: Series[str] = _required()
    need_relationer: Series[str] = _required()
    need_foralder: Series[str] = _required()
    need_krim: Series[str] = _required()
    rating_missbruk: Series[str] = _optional()
    rating_boende: Series[str] = _optional()
    rating_syssel: Series[str] = _optional()
    rating_ekonomi: Series[str] = _optional()
    rating_fysisk: Series[str] = _optional()
    rating_psykisk: Series[str] = _optional()
    rating_relationer: Series[str] = _optional()
    rating_foralder: Series[str] = _optional()
    rating_krim: Series[str] = _optional()
    satisfaction: Series[str] = _optional()
    earlier_line: Series[pd.Int64Dtype] = _optional()

    class Config:
        strict = False  # line_number and extra columns pass through
        coerce = False

    @pa.check("record_id", name="invalid_code")
    def _record_id_length(cls, ids: Series[str]) -> Series[bool]:
        """1-64 characters (the contract), none of them a control character (NUL, tab, a line
        break: the export is damaged)."""
        return (ids.str.len() <= RECORD_ID_MAX_LENGTH) & ~ids.str.contains(r"[\x00-\x1f\x7f]", regex=True)

    @pa.check("municipality_code", name="invalid_municipality")
    def _municipality(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(municipality_codes())

    @pa.check(*CODE_LISTS, name="invalid_code")
    def _code_lists(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(CODE_LISTS[codes.name])

    @pa.check(*NEED_COLUMNS, name="invalid_need")
    def _need(cls, flags: Series[str]) -> Series[bool]:
        return flags.isin(NEED_VALUES)

    @pa.check(*RATING_COLUMNS, name="invalid_rating")
    def _rating(cls, ratings: Series[str]) -> Series[bool]:
        return ratings.isin(RATING_VALUES)

    @pa.check("satisfaction", name="invalid_rating")
    def _satisfaction(cls, answers: Series[str]) -> Series[bool]:
        return answers.isin(SATISFACTION_VALUES)

    @pa.dataframe_check(name="invalid_date")
    def _dates(cls, row: pd.DataFrame) -> Series[bool]:
        return invalid_date_columns(row).sum(axis=1) == 0

    @pa.dataframe_check(name="start_after_followup")
    def _start_before_followup(cls, row: pd.DataFrame) -> Series[bool]:
        return ~(row["start_date"] > row["followup_date"]).fillna(False)

    @pa.dataframe_check(name="substance_mismatch")
    def _substance(cls, row: pd.DataFrame) -> Series[bool]:
        return ~substance_mismatch(row)

    @pa.dataframe_check(name="rating_without_need")
    def _rating_needs_need(cls, row: pd.DataFrame) -> Series[bool]:
        return rating_without_need_columns(row).sum(axis=1) == 0

    @pa.dataframe_check(name="duplicate_in_file")
    def _first_in_file(cls, row: pd.DataFrame) -> Series[bool]:
        return row["earlier_line"].isna()


def invalid_date_columns(row: pd.DataFrame) -> pd.DataFrame:
    """Per date column: given, but unparseable or outside 2000-01-01 .. day of loading."""
    earliest = pd.Timestamp(EARLIEST_DATE)
    result = {}
    for column in ("followup_date", "start_date"):
        given = row[f"{column}_text"].notna()
        parsed = row[column]
        bad = parsed.isna() | (parsed < earliest) | (parsed > row["load_date"])
        result[column] = (given & bad).fillna(False)
    return pd.DataFrame(result, index=row.index)


def substance_mismatch(row: pd.DataFrame) -> pd.Series:
    is_substance_group = row["target_group"] == SUBSTANCE_TARGET_GROUP
    has_substance = row["main_substance"].notna()
    known_group = row["target_group"].isin(TARGET_GROUPS)
    return (known_group & (is_substance_group != has_substance)).fillna(False)


def rating_without_need_columns(row: pd.DataFrame) -> pd.DataFrame:
    """Per rating column: an answered rating (1-4) where the need flag is 0."""
    return pd.DataFrame(
        {
            rating: ((row[need] == "0") & row[rating].isin(ANSWERED_RATINGS)).fillna(False)
            for need, rating in zip(NEED_COLUMNS, RATING_COLUMNS)
        },
        index=row.index,
    )
