"""Property: any export that follows the contract, in any accepted form, loads completely."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import LOAD_TIME, write_csv, write_xlsx
from uiv_core.ingest.loading import ingest_inbox
from uiv_schema.codes import AGE_GROUPS, AREAS, COMPLETED, INTERVENTIONS, SEXES, SUBSTANCES, TARGET_GROUPS
from uiv_schema.municipalities import municipalities

CODES = sorted(municipalities())


@st.composite
def date_text(draw, day: dt.date) -> str:
    form = draw(st.sampled_from(["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"]))
    return day.strftime(form)


@st.composite
def followup(draw, record_id: str) -> dict[str, str]:
    followup_day = draw(st.dates(dt.date(2000, 1, 2), LOAD_TIME.date()))
    start_day = draw(st.dates(dt.date(2000, 1, 1), followup_day))
    target = draw(st.sampled_from(TARGET_GROUPS))
    code = draw(st.sampled_from(CODES))
    row = {
        "record_id": record_id,
        "municipality_code": code.lstrip("0") if draw(st.booleans()) else code,
        "followup_date": draw(date_text(followup_day)),
        "start_date": draw(date_text(start_day)),
        "sex": draw(st.sampled_from(SEXES)).lower() if draw(st.booleans()) else draw(st.sampled_from(SEXES)),
        "age_group": draw(st.sampled_from(AGE_GROUPS)),
        "target_group": target,
        "main_substance": draw(st.sampled_from(SUBSTANCES)) if target == "missbruk" else "",
        "intervention": draw(st.sampled_from(INTERVENTIONS)),
        "completed": draw(st.sampled_from(COMPLETED)),
        "satisfaction": draw(st.sampled_from(["", "1", "2", "3", "4", "5", "9"])),
    }
    for area in AREAS:
        need = draw(st.booleans())
        row[f"need_{area}"] = draw(st.sampled_from(["1", "ja", "Ja"] if need else ["0", "nej"]))
        ratings = ["", "1", "2", "3", "4", "9", "4,0"] if need else ["", "9"]
        row[f"rating_{area}"] = draw(st.sampled_from(ratings))
    return row


@st.composite
def export(draw):
    n = draw(st.integers(1, 25))
    return [draw(followup(f"P{i}")) for i in range(n)]


FORMATS = [("csv", "utf-8", ";"), ("csv", "utf-8-sig", ","), ("csv", "cp1252", "\t"), ("xlsx", None, None)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=export(), fmt=st.sampled_from(FORMATS), swedish=st.booleans())
def test_any_valid_export_loads_every_row(rows, fmt, swedish):
    kind, encoding, delimiter = fmt
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox"
        inbox.mkdir()
        if kind == "xlsx":
            write_xlsx(inbox / "export.xlsx", rows, swedish=swedish, numeric_codes=False)
        else:
            write_csv(inbox / "export.csv", rows, encoding=encoding, delimiter=delimiter, swedish=swedish)
        con = duckdb.connect(str(Path(folder) / "uiv.duckdb"))
        (outcome,) = ingest_inbox(con, inbox, loaded_at=LOAD_TIME, progress=lambda _: None)
        stored = con.execute("SELECT count(*) FROM followups").fetchone()[0]
        con.close()
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_read == outcome.rows_loaded == len(rows) == stored, outcome.reasons
