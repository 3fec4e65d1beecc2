"""What may be published: the indicator cells of the published periods with primary and secondary
suppression applied, as the tables every publisher reads (`published_indicators`,
`published_comparisons`, `published_baselines`). Charts, pages, workbooks and CSV never read
`indicators` directly, so nothing suppressed can reach them.

Published periods (`sql/published_periods.sql`): every rolling four-quarter window, and a
calendar year when all four of its quarters are loaded. Quarters are too thin to publish per
municipality; an incomplete year would differ from a rolling window by single quarters.

Primary suppression: denominator below the minimum n (`indicators.suppressed`). Secondary
suppression: `uiv_core.publish.disclosure` runs an attacker over everything published (breakdowns, target
groups, municipalities → county → country, peer groups, overlapping windows, counts shared between
indicators) and hides complementary cells until no cell with n 1..min n − 1 can be worked out.

Published baselines take the best-quartile threshold and the peer-group median from published
values only (a hidden cell must not set them); a target set by the threshold follows it.
"""

from __future__ import annotations

import functools
import json
import time

import duckdb
import numpy as np
import pandas as pd

from uiv_core.publish import disclosure_kernel
from uiv_core.publish.disclosure import Cells, Structure, protect
from uiv_core import period_state
from uiv_core.fingerprints import combine, source_version
from uiv_core.quarters import quarter_index, quarter_label
from uiv_core.reference import register_reference
from uiv_core.cells.adjusted import adjusted_is_current, build_adjusted
from uiv_core.cells.comparisons import GROUP_CELLS
from uiv_core.cells.indicators import view_parts
from uiv_core.sql import drop_stored_table, query, table_exists, temp_table_from_frame
from uiv_schema.codes import SUBSTANCE_TARGET_GROUP
from uiv_schema.indicators import HIGHER, INDICATORS, PERCENT
from uiv_schema.results import SIGNIFICANCE

PUBLISHED_PERIOD_TYPES = ("rolling4q", "year")
_TEMP_TABLES = ("disclosure_keys", "disclosure_hidden", "published_periods", "publication_cells")


def stored_min_n(con: duckdb.DuckDBPyConnection) -> int:
    """The minimum n the stored `indicators` were flagged with."""
    (signature,) = con.execute(query("indicator_settings")).fetchall()[0]
    return int(json.loads(signature)["min_n"])


def _quantities(numerator: np.ndarray, denominator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quantity index of each indicator's numerator and denominator (K×I arrays of the audited
    cells): parts with the same value at every audited key are one count (e.g. the need in an
    area is need_share's numerator and rating_coverage's denominator), numbered in the order of
    the catalogue. Equal at every key the audit reads, they are one count for every relation it
    models, whatever they are elsewhere."""
    classes = disclosure_kernel.equal_column_classes(numerator, denominator)
    return classes[:, 0].copy(), classes[:, 1].copy()


def _load(con: duckdb.DuckDBPyConnection) -> tuple[Cells, Structure, list[str]]:
    """The audit's arrays from the stored `indicators` (TEMP table disclosure_keys made here)."""
    con.execute(query("disclosure_keys"))
    keys = con.execute(query("disclosure_key_list")).fetchnumpy()
    n_keys = len(keys["key_id"])
    latent = keys["latent"].astype(bool)
    window_labels = np.unique(keys["period"][~latent]).tolist()
    first = min(map(quarter_index, window_labels), default=0)
    last = max(map(quarter_index, window_labels), default=-1)
    windows = [quarter_label(q) for q in range(first, last + 1)]  # consecutive, also past a gap
    n_columns = int(keys["column_id"].max()) + 1 if n_keys else 0
    slots = np.full((n_columns, len(windows)), -1, np.int64)
    quarter_slots = np.full((n_columns, len(windows) + 3 if windows else 0), -1, np.int64)
    offset = keys["offset"].astype(np.int64)
    slots[keys["column_id"][~latent], offset[~latent] - 3] = keys["key_id"][~latent]
    quarter_slots[keys["column_id"][latent], offset[latent]] = keys["key_id"][latent]

    relations = con.execute(query("disclosure_relations"), {"substance_group": SUBSTANCE_TARGET_GROUP}).fetchnumpy()
    relation_id = relations["relation_id"]
    n_relations = int(relation_id.max()) + 1 if relation_id.size else 0
    parents = np.zeros(n_relations, np.int64)
    parents[relation_id] = relations["parent"]
    structure = Structure(
        relation=np.concatenate([np.arange(n_relations), relation_id]),
        member=np.concatenate([parents, relations["child"]]),
        is_parent=np.concatenate([np.ones(n_relations, bool), np.zeros(relation_id.size, bool)]),
        slots=slots, n_keys=n_keys, quarter_slots=quarter_slots)

    rows = con.execute(query("disclosure_cells"), {"indicator_ids": [i.id for i in INDICATORS]}).fetchnumpy()
    present = np.zeros((n_keys, len(INDICATORS)), bool)
    present[~latent] = True  # every indicator has a published row at every published key (publication_cells.sql)
    numerator, denominator = disclosure_kernel.cell_grids(
        rows["key_id"], rows["indicator_index"], rows["numerator"].astype(np.int64, copy=False),
        rows["denominator"].astype(np.int64, copy=False), n_keys, len(INDICATORS))
    numerator_q, denominator_q = _quantities(numerator, denominator)
    cells = Cells(present, numerator, denominator, numerator_q, denominator_q,
                  [x.scale for x in INDICATORS],
                  int(max(numerator_q.max(), denominator_q.max())) + 1)
    return cells, structure, windows


def build_publication(con: duckdb.DuckDBPyConnection, min_n: int | None = None, progress=None,
                      measure_primary: bool = False, incremental: bool = False) -> dict:
    """(Re)create the published_* tables; returns counts of cells, primary suppressions (of them
    `empty`: no follow-up in the denominator) and secondary ones, the audit's rounds and seconds,
    and (with `measure_primary`) what the attacker recovers from the primary suppression alone.
    `audit_seconds` is the whole call, `protection_seconds` the disclosure control in it.

    The audit and the published counts are always worked out whole (the audit needs every cell of
    the release at once). With `incremental`, the published comparisons rewrite only the periods
    whose key changed (`_keys`: the period's comparisons key and its published counts;
    `uiv_core.period_state`)."""

    started = time.perf_counter()
    min_n = stored_min_n(con) if min_n is None else min_n
    register_reference(con)
    con.execute(query("published_periods"))
    cells, structure, windows = _load(con)
    protection = protect(cells, structure, min_n, progress=progress, measure_primary=measure_primary)
    protected = time.perf_counter()
    secondary = protection.hidden & ~(cells.present & (cells.denominator < min_n))
    k, i = np.nonzero(secondary | protection.neutral)
    temp_table_from_frame(con, "disclosure_hidden", pd.DataFrame({
        "key_id": k.astype(np.int64),
        "indicator_id": pd.Series([INDICATORS[x].id for x in i], dtype="str"),
        "neutral": protection.neutral[k, i]}))
    audit = {"rounds": protection.rounds,
             # the disclosure control alone: the audit's arrays, pairing, the attacker and the rounds
             # (`measure_seconds`, the optional 'before' audit, excluded)
             "protection_seconds": round(protected - started - protection.measure_seconds, 2),
             "recovered_without_secondary": protection.recovered_before,
             "disclosed_without_secondary": protection.disclosed_before,
             "measure_seconds": round(protection.measure_seconds, 2)}
    # the audit's arrays (keys × indicators, several of them) are let go before the published
    # tables are written: the step's peak is then DuckDB's
    del cells, structure, protection, secondary, k, i
    con.execute(query("publication_cells"))
    con.execute(query("published_counts"))
    drop_stored_table(con, "published_indicators")  # a store made before it became a view
    con.execute(query("published_indicators", **view_parts()))
    current = con.execute(query("published_periods_list")).fetchall()
    keys = _keys(con, current)
    chosen = period_state.plan(con, "published_comparison_results", current, keys, incremental)
    period_state.delete_periods(con, "published_comparison_results", chosen)
    period_state.write_groups(con, lambda **flags: query("published_comparisons", **flags), chosen, GROUP_CELLS, {})
    period_state.remember(con, "published_comparison_results", keys)
    drop_stored_table(con, "published_comparisons")  # a store made before it became a view
    con.execute(query("published_comparisons_view"))
    con.execute(query("published_baselines"), {"higher": HIGHER, "percent": PERCENT})
    if not adjusted_is_current(con, min_n):  # e.g. a store from before them, or a run of some quarters only
        build_adjusted(con, min_n)  # whole: what is stored cannot be trusted
    con.execute(query("published_adjusted"), {"not_comparable": SIGNIFICANCE.NOT_COMPARABLE})
    primary, empty, hidden_secondary, neutral, total = con.execute(query("publication_counts")).fetchall()[0]
    for table in _TEMP_TABLES:
        con.execute(query("drop_table", table=table))
    return {"cells": total, "primary": primary, "empty": empty, "secondary": hidden_secondary, "unlabelled": neutral,
            **audit, "audit_seconds": round(time.perf_counter() - started, 2),
            "comparison_periods_written": [f"{period} {kind}" for period, kind, _ in chosen.write],
            "comparisons_whole": chosen.whole,
            # the published comparisons are a function of their periods' keys: a data version
            # that costs nothing to read (None without keys)
            "comparisons_version": None if keys is None else combine("published comparisons", sorted(keys.items()))}


def _keys(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, str, int]]) -> dict | None:
    """{(period, period type): key} of the published comparisons: the period's key of
    `comparison_results` (what its comparisons were built from), the fingerprint of its published
    counts, and the code of this room. None without `period_state`."""
    if not table_exists(con, "period_state"):
        return None
    compared = {(p, t): key for p, t, key in con.execute(query("period_keys"), {"table": "comparison_results"})
                .fetchall()}
    published = {(p, t): f for p, t, f in con.execute(query("published_period_fingerprints")).fetchall()}
    code = _code()
    return {(p, t): combine(code, compared.get((p, t)), published.get((p, t))) for p, t, _ in periods}


@functools.cache
def _code() -> str:
    return source_version("published comparisons", "uiv_core/publish", "uiv_core/sql", "uiv_schema")
