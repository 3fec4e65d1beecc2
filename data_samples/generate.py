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

Case mix. A municipality of SKEWED_MIX follows up another client mix with the same service
quality: its missbruk clients are mostly opioid and amphetamine users (who improve less and drop
out more everywhere), while its quality and dropout effects are set to the size-weighted mean of
the other municipalities. Its crude shares of improvement are then lower than the country's, but
its case-mix adjusted ones (docs/methods.md) are as expected: the demo's case where crude and
adjusted comparisons disagree.

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
#: municipalities with another client mix (main substance within missbruk) and average quality
SKEWED_MIX = {"1280": {"alkohol": 0.12, "amfetamin": 0.34, "cannabis": 0.06, "opioider": 0.36,
                       "kokain": 0.07, "lugnande": 0.03, "annat": 0.02}}
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
        self.skewed = np.array([c in SKEWED_MIX for c in self.codes])
        if self.skewed.any() and not self.skewed.all():  # same quality as the rest, on average
            weights = self.size[~self.skewed] / self.size[~self.skewed].sum()
            self.quality[self.skewed] = weights @ self.quality[~self.skewed]
            self.dropout[self.skewed] = weights @ self.dropout[~self.skewed]
        self.starts, self.ends = _quarter_bounds(list(quarters or DEFAULT_QUARTERS))
        self.quarter_p = 1.0 + 0.04 * np.arange(len(self.starts))  # slowly growing volumes
        self.quarter_p /= self.quarter_p.sum()


def _date_text(days: np.ndarray) -> np.ndarray:
    """datetime64[D] → object array of 'YYYY-MM-DD' via a lookup table (fast for many rows)."""
    if days.size == 0:
        return days.astype(object)
    low = days.min()
    table = np.datetime_as_string(np.arange(low, days.max() + 1)).astype(object)
    return table[(days - low).astype(np.int64)]


def _record_ids(muni: np.ndarray, offset: int) -> np.ndarray:
    """'U' + 8-digit counter per municipality; rows must be sorted by municipality."""
    if muni.size == 0:
        return np.empty(0, dtype=object)
    counter = np.arange(muni.size) - np.searchsorted(muni, muni, side="left") + 1 + offset
    return np.strings.add("U", np.strings.zfill(counter.astype(str), 8)).astype(object)


def _when(model: _Model, n: int, rng) -> tuple[np.ndarray, ...]:
    """Municipality, quarter and follow-up/start days, sorted by municipality and follow-up date."""
    muni = rng.choice(len(model.codes), n, p=model.size / model.size.sum())
    quarter = rng.choice(len(model.starts), n, p=model.quarter_p)
    span = (model.ends - model.starts).astype(np.int64)
    followup = model.starts[quarter] + (rng.random(n) * span[quarter]).astype(np.int64)
    order = np.lexsort((followup, muni))
    start = np.maximum(followup[order] - rng.integers(30, 541, n), EARLIEST)
    return muni[order], quarter[order], followup[order], start


def _who(model: _Model, muni: np.ndarray, rng) -> dict[str, np.ndarray]:
    """Code indices of the categorical fields (all substances drawn; used for missbruk only)."""
    n = muni.size
    target = _pick(rng, _probs(TARGET_P, TARGET_GROUPS), n)
    p_female = _effect(P_FEMALE, TARGET_GROUPS)[target] * (1 - P_SEX_X)
    sex = _pick(rng, np.column_stack([p_female, 1 - P_SEX_X - p_female, np.full(n, P_SEX_X)]), n)
    who = {"target": target, "sex": sex, "age": _pick(rng, _probs(AGE_P, AGE_GROUPS), n),
           "intervention": _pick(rng, _probs(INTERVENTION_P, TARGET_GROUPS)[target], n),
           "substance": _pick(rng, _substance_p(model, muni), n)}  # fmt: skip
    missbruk = target == TARGET_GROUPS.index("missbruk")
    drop = np.log(P_DROPOUT / (1 - P_DROPOUT)) + model.dropout[muni]
    p_drop = 1 / (1 + np.exp(-drop - missbruk * _effect(SUBSTANCE_DROPOUT, SUBSTANCES)[who["substance"]]))
    u = rng.random(n)
    ja, avbrutet, pagar = (COMPLETED.index(c) for c in ("ja", "avbrutet", "pagar"))
    who["completed"] = np.where(u < p_drop, avbrutet, np.where(u < p_drop + P_ONGOING, pagar, ja))
    need = rng.random((n, len(AREAS))) < np.array([NEED_P[t] for t in TARGET_GROUPS])[target]
    none = ~need.any(axis=1)  # every follow-up has at least the target group's own area
    need[none, np.array([AREAS.index(PRIMARY_AREA[t]) for t in TARGET_GROUPS])[target[none]]] = True
    who["need"], who["missbruk"] = need, missbruk
    return who


def _substance_p(model: _Model, muni: np.ndarray) -> np.ndarray:
    """P(main substance) per row: SUBSTANCE_P, or the municipality's SKEWED_MIX (same draws)."""
    if not model.skewed.any():
        return _probs(SUBSTANCE_P, SUBSTANCES)
    table = np.array([_probs(SKEWED_MIX.get(c, SUBSTANCE_P), SUBSTANCES) for c in model.codes])
    return table[muni]


def _ratings(model: _Model, muni, quarter, who: dict, rng) -> tuple[np.ndarray, np.ndarray]:
    """Rating codes (n, areas) and satisfaction codes (n,): 1-4 / 1-5, 9 = not answered, 0 = blank."""
    n, areas = who["need"].shape
    eta = (model.quality[muni] + model.trend[muni] * (quarter - (len(model.starts) - 1) / 2)
           + _effect(INTERVENTION_EFFECT, INTERVENTIONS)[who["intervention"]]
           + who["missbruk"] * _effect(SUBSTANCE_EFFECT, SUBSTANCES)[who["substance"]]
           + _effect(TARGET_EFFECT, TARGET_GROUPS)[who["target"]]
           + _effect(COMPLETED_EFFECT, COMPLETED)[who["completed"]] + rng.normal(0.0, 0.5, n))  # fmt: skip
    latent = eta[:, None] + np.array(AREA_EFFECT) + rng.logistic(size=(n, areas))
    rating = 1 + (latent[..., None] > RATING_CUTS).sum(axis=-1)
    dropped = who["completed"] == COMPLETED.index("avbrutet")
    p_na = np.where(dropped, P_NOT_ANSWERED_DROPOUT, P_NOT_ANSWERED)[:, None]
    unanswered = np.where(rng.random((n, areas)) < P_NINE, 9, 0)
    rating = np.where(~who["need"], 0, np.where(rng.random((n, areas)) < p_na, unanswered, rating))
    satisfaction = 1 + ((0.8 * eta + rng.logistic(size=n))[:, None] > SATISFACTION_CUTS).sum(axis=1)
    satisfaction = np.where(rng.random(n) < 0.10, np.where(rng.random(n) < P_NINE, 9, 0), satisfaction)
    return rating, satisfaction


def _draw(model: _Model, n: int, rng: np.random.Generator, id_offset: int = 0) -> pd.DataFrame:
    """n follow-ups from the model as an export frame (str values, None for blank)."""
    muni, quarter, followup, start = _when(model, n, rng)
    who = _who(model, muni, rng)
    rating, satisfaction = _ratings(model, muni, quarter, who, rng)
    text = lambda codes, idx: np.array(codes, dtype=object)[idx]  # noqa: E731
    columns = {
        "record_id": _record_ids(muni, id_offset),
        "municipality_code": text(model.codes, muni),
        "followup_date": _date_text(followup),
        "start_date": _date_text(start),
        "sex": text(SEXES, who["sex"]),
        "age_group": text(AGE_GROUPS, who["age"]),
        "target_group": text(TARGET_GROUPS, who["target"]),
        "main_substance": np.where(who["missbruk"], text(SUBSTANCES, who["substance"]), None),
        "intervention": text(INTERVENTIONS, who["intervention"]),
        "completed": text(COMPLETED, who["completed"]),
        **{c: text(("0", "1"), who["need"][:, i].astype(int)) for i, c in enumerate(NEED_COLUMNS)},
        **{c: _RATING_TEXT[rating[:, i]] for i, c in enumerate(RATING_COLUMNS)},
        "satisfaction": _SATISFACTION_TEXT[satisfaction],
    }
    return pd.DataFrame({c: columns[c] for c in COLUMN_NAMES}, dtype=object)


def generate_followups(n: int, seed: int = 2026, municipality_codes: list[str] | None = None,
                       quarters: list[str] | None = None) -> pd.DataFrame:  # fmt: skip
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


# --- the demo set ----------------------------------------------------------------------------

UNITS = ("Öppenvårdsenheten Söder", "Beroendeenheten Västerort", "Vuxenenheten Järva",
         "Mottagningen för spel och missbruk", "Boendeenheten Hägersten-Älvsjö")  # fmt: skip
BROKEN_SHARE = 0.007
FIRST_MTIME = dt.datetime(2026, 10, 5, 8, 0, tzinfo=dt.timezone.utc)
CORRECTION_MTIME = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.timezone.utc)


#: reason → variants (column, value) that break the contract for that reason only;
#: "need_?"/"rating_?" is an area whose need is 0, "rating_!" one whose need is 1.
BREAKS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "missing_value": (("sex", None), ("intervention", None), ("age_group", None), ("completed", None)),
    "invalid_municipality": (("municipality_code", "9999"), ("municipality_code", "0000"),
                             ("municipality_code", "1299")),
    "invalid_date": (("followup_date", "2025-02-30"), ("followup_date", "2031-03-15"),
                     ("start_date", "1999-12-31"), ("start_date", "2025-13-01")),
    "invalid_code": (("sex", "Q"), ("age_group", "15-17"), ("intervention", "hvb"), ("completed", "nej")),
    "invalid_need": (("need_?", "2"), ("need_?", "j"), ("need_?", "11")),
    "invalid_rating": (("rating_!", "7"), ("rating_!", "0"), ("satisfaction", "6")),
    "rating_without_need": (("rating_?", "3"), ("rating_?", "1"), ("rating_?", "4")),
}  # fmt: skip


def _break(r: dict, reason: str, k: int, rng) -> None:
    """Make record r break the contract for exactly `reason` (variant k)."""
    if reason == "start_after_followup":
        later = dt.date.fromisoformat(r["followup_date"]) + dt.timedelta(days=1 + k % 30)
        r["start_date"] = later.isoformat()
        return
    if reason == "substance_mismatch":
        r["main_substance"] = None if r["target_group"] == "missbruk" else "alkohol"
        return
    column, value = BREAKS[reason][k % len(BREAKS[reason])]
    if column.endswith(("?", "!")):
        flag = "0" if column.endswith("?") else "1"
        area = str(rng.choice([a for a in AREAS if r[f"need_{a}"] == flag] or AREAS))
        r[f"need_{area}"], r[f"rating_{area}"] = flag, (None if flag == "0" else r[f"rating_{area}"])
        column = column[:-1] + area
    r[column] = value


def _with_broken_rows(df: pd.DataFrame, rng, keep: set[str]) -> tuple[list[dict], list[str | None]]:
    """Records of df with ~0.7 % contract-breaking rows (every reason code), and each row's reason."""
    records, copies = df.to_dict("records"), []
    reasons: list[str | None] = [None] * len(records)
    count = max(len(REASON_CODES), round(BROKEN_SHARE * len(records)))
    candidates = [i for i, r in enumerate(records) if r["record_id"] not in keep]
    for k, i in enumerate(rng.choice(candidates, count, replace=False)):
        reasons[i] = REASON_CODES[k % len(REASON_CODES)]
        if reasons[i] == "duplicate_in_file":  # row i stays clean; a copy of it comes later
            copies.append((int(rng.integers(i + 1, len(records) + 1)), dict(records[i])))
            reasons[i] = "duplicate_source"
        else:
            _break(records[i], reasons[i], k // len(REASON_CODES), rng)
    for position, copy in sorted(copies, key=lambda c: c[0], reverse=True):
        records.insert(position, copy)
        reasons.insert(position, "duplicate_in_file")
    return records, reasons


def _vary_formats(records: list[dict], reasons: list, rng) -> None:
    """Accepted variants on clean rows: decimal comma, ja/nej, YYYYMMDD and DD/MM/YYYY dates."""
    for r, reason, u in zip(records, reasons, rng.random(len(records))):
        if reason is not None:
            continue
        if u < 0.03:
            for c in NUMERIC_TEXT_COLUMNS:
                r[c] = f"{r[c]},0" if r[c] else r[c]
        elif u < 0.13:
            for c in NEED_COLUMNS:
                r[c] = {"1": "ja", "0": "nej"}[r[c]]
        elif u < 0.23:
            form = "%Y%m%d" if u < 0.18 else "%d/%m/%Y"
            for c in ("followup_date", "start_date"):
                r[c] = dt.date.fromisoformat(r[c]).strftime(form)


def _correction(rows: pd.DataFrame, rng) -> pd.DataFrame:
    """A re-delivery of rows with corrected ratings and completion status."""
    records = rows.to_dict("records")
    for r in records:
        rated = [c for c in RATING_COLUMNS if r[c.replace("rating_", "need_")] == "1"]
        column = str(rng.choice(rated))
        r[column] = str(rng.choice([v for v in "12349" if v != r[column]]))
        r["completed"] = {"pagar": "ja", "ja": str(rng.choice(["ja", "avbrutet"]))}.get(r["completed"], "avbrutet")
    return pd.DataFrame(records, columns=rows.columns, dtype=object)


def _mixed_case(column: str) -> str:
    header = SWEDISH_HEADER[column]
    return {"startdatum": " Startdatum ", "insats": "Insats "}.get(header, header.upper() if len(header) <= 5
                                                                   else header.title())  # fmt: skip


def _write_samples(out_dir, rows: int = 16000, seed: int = 2026) -> tuple[list[Path], Counter]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 1])
    base = generate_followups(rows, seed)
    county = base["municipality_code"].str[:2]
    early = (base["followup_date"] < "2025-10-01").to_numpy()
    north = county.isin(["01", "03"]).to_numpy()
    in_q2 = (base["followup_date"] >= "2025-04-01") & (base["followup_date"] < "2025-07-01")
    q2_sthlm = base[(base["municipality_code"] == "0180") & in_q2]
    corrected = q2_sthlm.iloc[np.sort(rng.choice(len(q2_sthlm), min(50, len(q2_sthlm)), replace=False))]
    keep = set(corrected["record_id"])
    tally: Counter = Counter()
    frame = lambda records: pd.DataFrame(records, columns=base.columns, dtype=object)  # noqa: E731

    def broken(part: pd.DataFrame, name: str) -> tuple[list[dict], list]:
        records, reasons = _with_broken_rows(part, rng, keep)
        tally.update((reason, name) for reason in reasons if reason not in (None, "duplicate_source"))
        return records, reasons

    paths = []
    name = "2024Q4-2025Q3_stockholm_uppsala_lan_cp1252.csv"
    records, _ = broken(base[north & early], name)
    df = frame(records)
    df["handläggarenhet"] = np.array(UNITS, dtype=object)[rng.integers(0, len(UNITS), len(df))]
    paths.append(write_csv(df, out / name, encoding="cp1252", delimiter=";"))

    name = "2024Q4-2026Q3_skane_lan_english.csv"
    records, _ = broken(base[county == "12"], name)
    paths.append(write_csv(frame(records), out / name, delimiter=",", swedish_headers=False))

    name = "2024Q4-2026Q3_vastra_gotalands_lan_tab_bom.csv"
    records, reasons = broken(base[county == "14"], name)
    _vary_formats(records, reasons, rng)
    df = frame(records).rename(columns=_mixed_case)
    paths.append(write_csv(df, out / name, encoding="utf-8-sig", delimiter="\t"))

    name = "2025Q4-2026Q3_stockholm_uppsala_lan.xlsx"
    records, _ = broken(base[north & ~early], name)
    paths.append(write_xlsx(frame(records), out / name))

    name = "2025Q2_rattelse_0180.csv"
    paths.append(write_csv(_correction(corrected, rng), out / name, encoding="cp1252", delimiter=";"))

    stamps = [FIRST_MTIME + dt.timedelta(days=2 * i) for i in range(len(paths) - 1)] + [CORRECTION_MTIME]
    for path, stamp in zip(paths, stamps):  # fixed, increasing mtimes; the correction comes last
        os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    return paths, tally


def write_sample_exports(out_dir, rows: int = 16000, seed: int = 2026) -> list[Path]:
    """Write the demo exports into out_dir and return their paths in loading order (mtime, then name).

    Stockholm+Uppsala 2024Q4-2025Q3 as Windows-1252 `;` CSV with an extra column; Skåne as UTF-8 `,`
    CSV with English headers; Västra Götaland as UTF-8-BOM tab CSV with mixed-case headers, decimal
    commas, ja/nej and other date forms; Stockholm+Uppsala 2025Q4-2026Q3 as XLSX (lost leading
    zeros, Excel dates); a correction of 50 Stockholm 2025Q2 rows. ~0.7 % of the rows of the first
    four files break the contract, every quarantine reason code in every one of them.
    """
    return _write_samples(out_dir, rows, seed)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_samples.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="directory for the demo exports")
    parser.add_argument("--rows", type=int, default=16000, help="rows in the demo exports (default 16000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--large-csv", type=Path, help="also write one large CSV here")
    parser.add_argument("--large-rows", type=int, default=10_000_000)
    args = parser.parse_args(argv)
    if args.out is None and args.large_csv is None:
        parser.error("give --out and/or --large-csv")
    if args.out is not None:
        paths, tally = _write_samples(args.out, args.rows, args.seed)
        for path in paths:
            print(f"{path.stat().st_size:>10,}  {path}")
        for (reason, name), count in sorted(tally.items()):
            print(f"broken: {reason:<22} {name:<50} {count}")
    if args.large_csv is not None:
        write_large_csv(args.large_csv, args.large_rows, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
