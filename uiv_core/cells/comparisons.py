"""Build the `comparisons` table: each municipality cell against the country, its county and its
peer group, with significance, quartile and colour, funnel label and trend (all in SQL).

- significance (as Fingertips): the municipality's 95 % interval lies wholly above or below the
  benchmark value → `bättre`/`sämre` by polarity, else `likvärdig`; `ej jämförbar` when the cell
  or the benchmark is suppressed, the indicator has no polarity or there is no benchmark;
- quartile: PHEindicatormethods' `phe_quantile` (4 quantiles, rank ties "min") among the
  municipalities with a published value for the same period, target group, breakdown and
  indicator; quartile 1 is the best (highest values when higher is better); colour `grön`
  (quartile 1), `gul` (2-3), `röd` (4), `grå` (no value, fewer than 4 municipalities, or an
  indicator without polarity);
- funnel: PHE's `assign_funnel_significance` label against the pooled country proportion, for
  percent indicators. PHE's proportion funnel limits are the inverse of the Wilson interval, so the
  label is read off the cell's own Wilson 95 % / 99.8 % limits (tests check it against
  `funnel_significance_proportion` of tests/methods_oracle.py on every cell);
- trend: the score test for a linear trend over the municipality's last eight quarters up to the
  cell's period (1 df, 5 %): for a share the chi-square test for trend in proportions
  (Cochran-Armitage), for a mean rating the same statistic over the ratings (N·r² of rating
  against quarter); quarter and rolling-four-quarter cells that are not suppressed and whose last
  quarter has data, at least three quarters with data: `ökar`, `minskar`, `ingen förändring`,
  else `ej beräknad`.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd
from scipy import stats

from uiv_core import period_state
from uiv_core.cells.period_keys import period_keys
from uiv_core.fingerprints import combine
from uiv_core.quarters import quarter_index
from uiv_core.reference import register_reference
from uiv_core.sql import drop_stored_table, query, temp_table_from_frame
from uiv_schema.indicators import HIGHER, LOWER, PERCENT

TREND_QUARTERS = 8
TREND_ALPHA = 0.05
#: municipal cells up to which the comparisons (and the published comparisons) are built by one
#: statement; a larger store is built period by period (`period_groups`). The demo (380 000
#: shown cells; 526 000 published) is one statement: period by period its store grew from 59 to
#: 63 MB. 1 M follow-ups in 24 municipalities (1.8 M; 778 000 published) go period by period:
#: the comparisons' statement peaked at 3.3 GB over every period at once, 0.9 GB per period.
GROUP_CELLS = 600_000


class ComparisonUpdate(NamedTuple):
    rows: int  #: rows of the table
    rebuilt: list[str]  #: the periods ('period period_type') written by this run
    whole: bool  #: the whole table was written
    #: a fingerprint of the periods' keys: the table is a function of them, so it changes when the
    #: content can (None without keys); cheaper than reading 5 M rows for a data version
    version: str | None = None


def build_comparisons(con: duckdb.DuckDBPyConnection, incremental: bool = False) -> ComparisonUpdate:
    """(Re)create `comparisons` (the stored `comparison_results` and the view over them) from
    `indicators` and `peer_groups`; returns its row count and the periods written.

    `incremental`: rewrite only the periods whose key changed (`period_keys`: the follow-ups of
    the quarters the period's cells and trends read, the indicators' settings, this room's code),
    delete the periods that are gone, and keep the rest as they are (`uiv_core.period_state`);
    the whole table when there is no key to compare with. Without it (e.g. after the indicators
    were changed by hand), the whole table. Needs the TEMP table `municipality_reference` (made by
    build_indicators on this connection)."""
    register_reference(con)
    quarters = [p for (p,) in con.execute(query("stored_quarters")).fetchall()]
    temp_table_from_frame(con, "quarter_numbers", pd.DataFrame({
        "quarter": pd.Series(quarters, dtype="str"),
        "quarter_index": pd.Series([quarter_index(p) for p in quarters], dtype="int64"),
    }))
    current = con.execute(query("comparison_periods")).fetchall()
    keys = period_keys(con, [(period, kind) for period, kind, _ in current], "comparison_results", TREND_QUARTERS)
    chosen = period_state.plan(con, "comparison_results", current, keys, incremental)
    period_state.delete_periods(con, "comparison_results", chosen)
    if chosen.write or chosen.whole:
        _compare(con, chosen)
    period_state.remember(con, "comparison_results", keys)
    con.execute(query("comparisons_view"))
    rows = con.execute(query("count_rows", table="comparison_results")).fetchall()[0][0]
    version = None if keys is None else combine("comparisons", sorted(keys.items()))
    return ComparisonUpdate(rows, [f"{period} {kind}" for period, kind, _ in chosen.write], chosen.whole, version)


def _compare(con: duckdb.DuckDBPyConnection, chosen: period_state.Plan) -> None:
    """Write the comparisons of the periods `chosen.write` ((period, period type, shown municipal
    cells), in the table's order): into a new table (`chosen.whole`) or added to it."""
    some = not chosen.whole
    labels = [f"{period} {kind}" for period, kind, _ in chosen.write]
    con.execute(query("cell_quartiles", by_period=some), {"lower": LOWER} | ({"periods": labels} if some else {}))
    trended = sorted({period for period, kind, _ in chosen.write if kind != "year"}, key=quarter_index)
    window = {"labels": trended, "first_index": quarter_index(trended[0]) - TREND_QUARTERS + 1 if trended else 0}
    con.execute(query("cell_trends", trend_quarters=TREND_QUARTERS, by_period=some),
                {"critical": float(stats.chi2.ppf(1 - TREND_ALPHA, 1)), "percent": PERCENT} | (window if some else {}))
    period_state.write_groups(con, lambda **flags: query("comparisons", **flags), chosen, GROUP_CELLS,
                              {"higher": HIGHER, "percent": PERCENT})
    if chosen.whole:
        drop_stored_table(con, "comparisons")  # a store made before it became a view
    for table in ("cell_quartiles", "cell_trends"):
        con.execute(query("drop_table", table=table))
