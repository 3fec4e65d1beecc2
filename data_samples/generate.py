"""Seeded generator of realistic, anonymised UIV follow-up exports (contract uiv-export-v1).

Effects model. Target group is drawn first; sex, intervention, main substance (missbruk only)
and the need flags depend on it. The rating of change for row i in life area a follows an
ordered logit:

    latent = q[muni] + t[muni] * (quarter - mid) + e[intervention] + e[substance] + e[target]
             + e[completed] + person_i + e[area] + Logistic(0, 1)

cut at RATING_CUTS so that, averaged over everything, P(4 markedly better) ~ 0.3, P(3) ~ 0.3,
P(2) ~ 0.3, P(1 worse) ~ 0.1. q[muni] ~ N(0, 0.5) is a fixed quality effect per municipality
(drawn once from the seed, so shares of improvement really differ between municipalities);
t[muni] is a mild trend for four municipalities; person_i ~ N(0, 0.5) ties one client's areas
together. Institution/stodboende beat annat; alkohol/cannabis beat opioider/amfetamin. Dropout
(avbrutet, ~15 %) has its own municipality effect and is higher for opioider/amfetamin; a dropout
lowers the ratings. Ratings exist only where there was a need; ~8 % of them are not answered
(9 or blank), more after a dropout. Satisfaction (1-5) follows the same latent.

Every value is a str (or None for blank), as in a valid export. Record ids are "U" + a zero-
padded counter per municipality, which can never look like a personal identity number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from uiv_schema.codes import AGE_GROUPS, AREAS, COMPLETED, INTERVENTIONS, SEXES, SUBSTANCES, TARGET_GROUPS
from uiv_schema.columns import COLUMN_NAMES, NEED_COLUMNS, RATING_COLUMNS, SWEDISH_HEADER
from uiv_schema.municipalities import municipalities
from uiv_schema.reasons import REASON_CODES

#: Default municipalities (Stockholm 01, Uppsala 03, Skåne 12, Västra Götaland 14) → relative size.
DEFAULT_MUNICIPALITIES: dict[str, float] = {
    "0180": 10, "0127": 4, "0126": 4, "0181": 3.5, "0182": 3, "0136": 3, "0188": 2, "0187": 0.8,
    "0380": 6, "0381": 2, "0360": 1.5, "0330": 1,
    "1280": 8, "1283": 5, "1281": 4, "1290": 3, "1286": 1.5, "1275": 0.8,
    "1480": 10, "1481": 2.5, "1482": 2, "1441": 1.8, "1463": 1.5, "1444": 1,
}  # fmt: skip
DEFAULT_QUARTERS = ("2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")

TARGET_P = {"missbruk": 0.50, "spel": 0.08, "psykisk": 0.20, "vald": 0.10, "hemloshet": 0.12}
P_FEMALE = {"missbruk": 0.30, "spel": 0.20, "psykisk": 0.55, "vald": 0.85, "hemloshet": 0.28}
P_SEX_X = 0.01
AGE_P = {"18-24": 0.13, "25-34": 0.24, "35-44": 0.22, "45-54": 0.19, "55-64": 0.14, "65+": 0.08}
SUBSTANCE_P = {"alkohol": 0.45, "amfetamin": 0.14, "cannabis": 0.16, "opioider": 0.10,
               "kokain": 0.06, "lugnande": 0.05, "annat": 0.04}  # fmt: skip
#: per target group, in INTERVENTIONS order: oppenvard institution familjehem stodboende boendestod kontaktperson annat
INTERVENTION_P = {
    "missbruk": (0.50, 0.18, 0.04, 0.10, 0.08, 0.03, 0.07),
    "spel": (0.80, 0.02, 0.00, 0.01, 0.02, 0.05, 0.10),
    "psykisk": (0.30, 0.05, 0.05, 0.15, 0.25, 0.12, 0.08),
    "vald": (0.45, 0.02, 0.01, 0.30, 0.05, 0.07, 0.10),
    "hemloshet": (0.10, 0.05, 0.02, 0.35, 0.35, 0.05, 0.08),
}
#: P(need) per target group, in AREAS order: missbruk boende syssel ekonomi fysisk psykisk relationer foralder krim
NEED_P = {
    "missbruk": (0.98, 0.35, 0.50, 0.45, 0.40, 0.55, 0.50, 0.30, 0.25),
    "spel": (0.95, 0.10, 0.30, 0.85, 0.15, 0.50, 0.50, 0.25, 0.10),
    "psykisk": (0.15, 0.35, 0.55, 0.40, 0.40, 0.97, 0.60, 0.20, 0.05),
    "vald": (0.10, 0.60, 0.30, 0.50, 0.30, 0.70, 0.90, 0.45, 0.05),
    "hemloshet": (0.45, 0.99, 0.45, 0.70, 0.45, 0.50, 0.35, 0.15, 0.20),
}
PRIMARY_AREA = {"missbruk": "missbruk", "spel": "missbruk", "psykisk": "psykisk", "vald": "relationer",
                "hemloshet": "boende"}  # fmt: skip

INTERVENTION_EFFECT = {"oppenvard": 0.0, "institution": 0.45, "familjehem": 0.2, "stodboende": 0.35,
                       "boendestod": 0.1, "kontaktperson": -0.1, "annat": -0.45}  # fmt: skip
SUBSTANCE_EFFECT = {"alkohol": 0.3, "amfetamin": -0.35, "cannabis": 0.25, "opioider": -0.5,
                    "kokain": -0.1, "lugnande": 0.0, "annat": -0.1}  # fmt: skip
TARGET_EFFECT = {"missbruk": 0.0, "spel": 0.15, "psykisk": -0.1, "vald": 0.2, "hemloshet": -0.05}
COMPLETED_EFFECT = {"ja": 0.25, "avbrutet": -0.9, "pagar": -0.1}
AREA_EFFECT = (0.1, 0.2, -0.3, -0.15, -0.1, 0.0, 0.05, 0.1, 0.15)  # AREAS order
SUBSTANCE_DROPOUT = {"amfetamin": 0.4, "opioider": 0.5, "kokain": 0.2}  # extra logit of avbrutet
P_DROPOUT, P_ONGOING = 0.13, 0.08
RATING_CUTS = np.array([-2.3, -0.2, 1.25])  # latent cut points between 1|2, 2|3, 3|4
SATISFACTION_CUTS = np.array([-3.0, -2.0, -0.7, 0.9])
P_NOT_ANSWERED, P_NOT_ANSWERED_DROPOUT, P_NINE = 0.06, 0.20, 0.6
EARLIEST = np.datetime64("2000-01-01")

_RATING_TEXT = np.array([None, "1", "2", "3", "4", None, None, None, None, "9"], dtype=object)
_SATISFACTION_TEXT = np.array([None, "1", "2", "3", "4", "5", None, None, None, "9"], dtype=object)


def _probs(table: dict, keys: tuple[str, ...]) -> np.ndarray:
    """A probability vector (or per-row matrix) in the order of `keys`, rows normalised."""
    p = np.array([table[k] for k in keys], dtype=float)
    return p / p.sum(axis=-1, keepdims=True)


def _pick(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """Category indices for n rows; p is a vector or an (n, k) matrix of probabilities."""
    cum = np.cumsum(np.broadcast_to(p, (n, p.shape[-1])), axis=1)
    return np.minimum((rng.random((n, 1)) > cum).sum(axis=1), p.shape[-1] - 1)


def _effect(table: dict, keys: tuple[str, ...]) -> np.ndarray:
    return np.array([table.get(k, 0.0) for k in keys])


def _quarter_bounds(quarters: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """First day and the day after the last day of each quarter ("2025Q3")."""
    starts = []
    for q in quarters:
        match = re.fullmatch(r"(\d{4})Q([1-4])", q)
        if not match:
            raise ValueError(f"quarter {q!r} is not of the form 2025Q3")
        starts.append(np.datetime64(f"{match[1]}-{3 * int(match[2]) - 2:02d}", "M"))
    months = np.array(starts)
    return months.astype("datetime64[D]"), (months + 3).astype("datetime64[D]")


class _Model:
    """The fixed, seed-drawn part: municipalities, their sizes and effects, the quarters."""

    def __init__(self, rng: np.random.Generator, codes: list[str] | None, quarters: list[str] | None):
        self.codes = list(codes or DEFAULT_MUNICIPALITIES)
        unknown = sorted(set(self.codes) - set(municipalities()))
        if unknown:
            raise ValueError(f"unknown municipality codes: {unknown}")
        m = len(self.codes)
        drawn_size = rng.lognormal(0.7, 0.8, m)
        self.size = np.array([DEFAULT_MUNICIPALITIES.get(c, s) for c, s in zip(self.codes, drawn_size)])
        self.quality = rng.normal(0.0, 0.5, m)
        self.dropout = rng.normal(0.0, 0.35, m)
        self.trend = np.zeros(m)
        trending = rng.choice(m, size=min(4, m), replace=False)
        self.trend[trending] = rng.choice([-1.0, 1.0], trending.size) * rng.uniform(0.08, 0.15, trending.size)
        self.starts, self.ends = _quarter_bounds(list(quarters or DEFAULT_QUARTERS))
        self.quarter_p = 1.0 + 0.04 * np.arange(len(self.starts))  # slowly growing volumes
        self.quarter_p /= self.quarter_p.sum()


def _date_text(days: np.ndarray) -> np.ndarray:
    """datetime64[D] → object array of 'YYYY-MM-DD' via a lookup table (fast for many rows)."""
    low = days.min()
    table = np.datetime_as_string(np.arange(low, days.max() + 1)).astype(object)
    return table[(days - low).astype(np.int64)]


def _record_ids(muni: np.ndarray, offset: int) -> np.ndarray:
    """'U' + 8-digit counter per municipality; rows must be sorted by municipality."""
    counter = np.arange(muni.size) - np.searchsorted(muni, muni, side="left") + 1 + offset
    return np.strings.add("U", np.strings.zfill(counter.astype(str), 8)).astype(object)


def _draw(model: _Model, n: int, rng: np.random.Generator, id_offset: int = 0) -> pd.DataFrame:
    """n follow-ups from the model, sorted by municipality and follow-up date."""
    muni = rng.choice(len(model.codes), n, p=model.size / model.size.sum())
    quarter = rng.choice(len(model.starts), n, p=model.quarter_p)
    span = (model.ends - model.starts).astype(np.int64)
    followup = model.starts[quarter] + (rng.random(n) * span[quarter]).astype(np.int64)
    order = np.lexsort((followup, muni))
    muni, quarter, followup = muni[order], quarter[order], followup[order]
    start = np.maximum(followup - rng.integers(30, 541, n), EARLIEST)

    target = _pick(rng, _probs(TARGET_P, TARGET_GROUPS), n)
    p_female = _effect(P_FEMALE, TARGET_GROUPS)[target]
    sex = _pick(rng, np.column_stack([p_female, 1 - p_female, np.zeros(n)]) * (1 - P_SEX_X)
                + np.array([0, 0, P_SEX_X]), n)  # fmt: skip
    age = _pick(rng, _probs(AGE_P, AGE_GROUPS), n)
    intervention = _pick(rng, _probs(INTERVENTION_P, TARGET_GROUPS)[target], n)
    substance = _pick(rng, _probs(SUBSTANCE_P, SUBSTANCES), n)
    is_missbruk = target == TARGET_GROUPS.index("missbruk")

    drop_logit = np.log(P_DROPOUT / (1 - P_DROPOUT)) + model.dropout[muni]
    drop_logit += np.where(is_missbruk, _effect(SUBSTANCE_DROPOUT, SUBSTANCES)[substance], 0.0)
    u = rng.random(n)
    p_drop = 1 / (1 + np.exp(-drop_logit))
    ja, avbrutet, pagar = (COMPLETED.index(c) for c in ("ja", "avbrutet", "pagar"))
    completed = np.where(u < p_drop, avbrutet, np.where(u < p_drop + P_ONGOING, pagar, ja))

    need = rng.random((n, len(AREAS))) < np.array([NEED_P[t] for t in TARGET_GROUPS])[target]
    no_need = ~need.any(axis=1)
    primary = np.array([AREAS.index(PRIMARY_AREA[t]) for t in TARGET_GROUPS])
    need[no_need, primary[target[no_need]]] = True

    eta = (model.quality[muni] + model.trend[muni] * (quarter - (len(model.starts) - 1) / 2)
           + _effect(INTERVENTION_EFFECT, INTERVENTIONS)[intervention]
           + np.where(is_missbruk, _effect(SUBSTANCE_EFFECT, SUBSTANCES)[substance], 0.0)
           + _effect(TARGET_EFFECT, TARGET_GROUPS)[target]
           + _effect(COMPLETED_EFFECT, COMPLETED)[completed] + rng.normal(0.0, 0.5, n))  # fmt: skip
    latent = eta[:, None] + np.array(AREA_EFFECT) + rng.logistic(size=(n, len(AREAS)))
    rating = 1 + (latent[..., None] > RATING_CUTS).sum(axis=-1)
    p_na = np.where(completed == avbrutet, P_NOT_ANSWERED_DROPOUT, P_NOT_ANSWERED)[:, None]
    unanswered = np.where(rng.random((n, len(AREAS))) < P_NINE, 9, 0)
    rating = np.where(~need, 0, np.where(rng.random((n, len(AREAS))) < p_na, unanswered, rating))
    satisfaction = 1 + ((0.8 * eta + rng.logistic(size=n))[:, None] > SATISFACTION_CUTS).sum(axis=1)
    satisfaction = np.where(rng.random(n) < 0.10, np.where(rng.random(n) < P_NINE, 9, 0), satisfaction)

    text = lambda codes, idx: np.array(codes, dtype=object)[idx]  # noqa: E731
    columns = {
        "record_id": _record_ids(muni, id_offset),
        "municipality_code": text(model.codes, muni),
        "followup_date": _date_text(followup),
        "start_date": _date_text(start),
        "sex": text(SEXES, sex),
        "age_group": text(AGE_GROUPS, age),
        "target_group": text(TARGET_GROUPS, target),
        "main_substance": np.where(is_missbruk, text(SUBSTANCES, substance), None),
        "intervention": text(INTERVENTIONS, intervention),
        "completed": text(COMPLETED, completed),
        **{c: np.where(need[:, i], "1", "0").astype(object) for i, c in enumerate(NEED_COLUMNS)},
        **{c: _RATING_TEXT[rating[:, i]] for i, c in enumerate(RATING_COLUMNS)},
        "satisfaction": _SATISFACTION_TEXT[satisfaction],
    }
    return pd.DataFrame({c: columns[c] for c in COLUMN_NAMES}, dtype=object)


def generate_followups(
    n: int,
    seed: int = 2026,
    municipality_codes: list[str] | None = None,
    quarters: list[str] | None = None,
) -> pd.DataFrame:
    """n valid follow-up rows (canonical column names, str values, None for blank)."""
    rng = np.random.default_rng(seed)
    return _draw(_Model(rng, municipality_codes, quarters), n, rng)


# --- CSV -------------------------------------------------------------------------------------

CSV_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
NUMERIC_TEXT_COLUMNS = (*RATING_COLUMNS, "satisfaction")


def _open_csv(path: str | Path, encoding: str):
    if encoding not in CSV_ENCODINGS:
        raise ValueError(f"encoding must be one of {CSV_ENCODINGS}, not {encoding!r}")
    return open(path, "w", encoding=encoding, newline="")


def _append_csv(df, handle, *, header=True, delimiter=";", swedish_headers=True, decimal_comma=False):
    if decimal_comma:  # "4" → "4,0" in ratings and satisfaction
        df = df.copy()
        for column in set(NUMERIC_TEXT_COLUMNS) & set(df.columns):
            values = df[column].to_numpy(dtype=object).copy()
            digits = df[column].isin(list("0123456789")).to_numpy()
            values[digits] = values[digits] + ",0"
            df[column] = values
    names = [SWEDISH_HEADER.get(c, c) if swedish_headers else c for c in df.columns]
    df.to_csv(handle, sep=delimiter, header=names if header else False, index=False,
              lineterminator="\n", na_rep="")  # fmt: skip


def write_csv(df, path, *, encoding="utf-8", delimiter=";", swedish_headers=True, decimal_comma=False) -> Path:
    """Write a CSV export; columns not in the contract keep their own header."""
    with _open_csv(path, encoding) as handle:
        _append_csv(df, handle, delimiter=delimiter, swedish_headers=swedish_headers,
                    decimal_comma=decimal_comma)  # fmt: skip
    return Path(path)


def write_large_csv(path, rows: int, seed: int = 2026, chunk_rows: int = 1_000_000, **csv_options) -> Path:
    """Write `rows` rows chunk by chunk (same municipality effects, a new seed per chunk)."""
    encoding = csv_options.pop("encoding", "utf-8")
    rng = np.random.default_rng(seed)
    model = _Model(rng, None, None)
    written = 0
    with _open_csv(path, encoding) as handle:
        while written < rows:
            chunk = _draw(model, min(chunk_rows, rows - written), rng, id_offset=written)
            _append_csv(chunk, handle, header=written == 0, **csv_options)
            written += len(chunk)
            rng = np.random.default_rng([seed, written])
            print(f"{path}: {written:,} / {rows:,} rows written", file=sys.stderr, flush=True)
    return Path(path)


# --- XLSX ------------------------------------------------------------------------------------

XLSX_SHEET = "Uppföljningar"
FIXED_TIME = dt.datetime(2026, 1, 1)
INTEGER_COLUMNS = frozenset((*NEED_COLUMNS, *RATING_COLUMNS, "satisfaction"))


def _as_int(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _xlsx_converter(column: str, ws, lost_leading_zero: bool, excel_dates: bool):
    def as_date(value):
        try:
            cell = WriteOnlyCell(ws, value=dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            return value  # not a valid date: kept as text, as Excel would
        cell.number_format = "yyyy-mm-dd"
        return cell

    if column in INTEGER_COLUMNS or (column == "municipality_code" and lost_leading_zero):
        return _as_int
    if column in ("followup_date", "start_date") and excel_dates:
        return as_date
    return lambda value: value


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite an xlsx with fixed entry timestamps and a fixed modified property."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_xlsx(df, path, *, swedish_headers=True, lost_leading_zero=True, excel_dates=True) -> Path:
    """Write an XLSX export as Excel would save it (byte-identical for the same frame)."""
    wb = Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.create_sheet(XLSX_SHEET)
    ws.append([SWEDISH_HEADER.get(c, c) if swedish_headers else c for c in df.columns])
    converters = [_xlsx_converter(c, ws, lost_leading_zero, excel_dates) for c in df.columns]
    for row in df.itertuples(index=False, name=None):
        ws.append([convert(value) for convert, value in zip(converters, row)])
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).write_bytes(_fixed_zip(buffer.getvalue()))
    return Path(path)
