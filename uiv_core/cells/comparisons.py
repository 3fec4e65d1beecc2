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

import duckdb
import pandas as pd
from scipy import stats

from uiv_core.quarters import period_groups, quarter_index
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
def build_comparisons(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create `comparisons` (the stored `comparison_results` and the view over them) from
    `indicators` and `peer_groups`; returns its row count.

    Needs the TEMP table `municipality_reference` (made by build_indicators on this connection)."""
    register_reference(con)
    quarters = [p for (p,) in con.execute(query("stored_quarters")).fetchall()]
    temp_table_from_frame(con, "quarter_numbers", pd.DataFrame({
        "quarter": pd.Series(quarters, dtype="str"),
        "quarter_index": pd.Series([quarter_index(p) for p in quarters], dtype="int64"),
    }))
    con.execute(query("cell_quartiles"), {"lower": LOWER})
    con.execute(query("cell_trends", trend_quarters=TREND_QUARTERS),
                {"critical": float(stats.chi2.ppf(1 - TREND_ALPHA, 1)), "percent": PERCENT})
    values = {"higher": HIGHER, "percent": PERCENT}
    groups = period_groups(con.execute(query("comparison_periods")).fetchall(), GROUP_CELLS)
    if not groups:  # no municipality cell: the table, empty
        con.execute(query("comparisons", insert=False, by_period=False), values)
    for number, periods in enumerate(groups):  # a group of periods at a time: its memory, not the store's
        con.execute(query("comparisons", insert=number > 0, by_period=True), values | {"periods": periods})
    drop_stored_table(con, "comparisons")  # a store made before it became a view
    con.execute(query("comparisons_view"))
    for table in ("cell_quartiles", "cell_trends"):
        con.execute(query("drop_table", table=table))
    return con.execute(query("count_rows", table="comparison_results")).fetchall()[0][0]
