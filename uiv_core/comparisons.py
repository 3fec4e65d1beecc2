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
  `uiv_core.statistics.funnel_significance_proportion` on every cell);
- trend: chi-square test for linear trend in proportions (Cochran-Armitage, 1 df, 5 %) over the
  municipality's last eight quarters up to the cell's period (quarter and rolling-four-quarter
  cells that are not suppressed and whose last quarter has data, percent indicators, at least
  three quarters with data): `ökar`, `minskar`, `ingen förändring`, else `ej beräknad`.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from scipy import stats

from uiv_core.quarters import quarter_index
from uiv_core.sql import temp_table_from_frame
from uiv_schema.indicators import HIGHER, INDICATORS, LOWER, PERCENT

TREND_QUARTERS = 8
TREND_ALPHA = 0.05
_KEYS = "period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id"

_QUARTILE_SQL = f"""
CREATE OR REPLACE TEMP TABLE cell_quartiles AS
WITH published AS (
    SELECT {_KEYS}, value, c.polarity,
           max(value) OVER g AS max_value, count(*) OVER g AS areas
    FROM indicators i JOIN comparison_catalogue c USING (indicator_id)
    WHERE unit_type = 'kommun' AND NOT suppressed
    WINDOW g AS (PARTITION BY period, period_type, target_group, breakdown, breakdown_value, indicator_id)
), adjusted AS (
    SELECT *, CASE WHEN polarity = '{LOWER}' THEN value ELSE max_value - value END AS adj_value
    FROM published
), ranked AS (
    SELECT *, rank() OVER (PARTITION BY period, period_type, target_group, breakdown, breakdown_value,
                                        indicator_id ORDER BY adj_value) AS value_rank
    FROM adjusted
)
SELECT {_KEYS},
       CASE WHEN areas < 4 THEN NULL
            ELSE greatest(1, floor(5 - ceil(((areas + 1) - value_rank) / (areas / 4))))::INTEGER
       END AS quartile
FROM ranked
"""

_TREND_SQL = f"""
CREATE OR REPLACE TEMP TABLE cell_trends AS
WITH quarterly AS (
    SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
           CAST(numerator AS HUGEINT) AS x, CAST(denominator AS HUGEINT) AS n,
           CAST(q.quarter_index AS HUGEINT) AS s
    FROM indicators i JOIN quarter_numbers q ON q.quarter = i.period
    JOIN comparison_catalogue c USING (indicator_id)
    WHERE unit_type = 'kommun' AND period_type = 'quarter' AND c.unit = '{PERCENT}'
), moments AS (
    SELECT *,
        count(*) OVER w AS quarters, sum(n) OVER w AS sn, sum(x) OVER w AS sx,
        sum(n * s) OVER w AS sns, sum(n * s * s) OVER w AS snss, sum(x * s) OVER w AS sxs
    FROM quarterly
    WINDOW w AS (PARTITION BY unit_code, target_group, breakdown, breakdown_value, indicator_id
                 ORDER BY s RANGE BETWEEN {TREND_QUARTERS - 1} PRECEDING AND CURRENT ROW)
), tested AS (
    SELECT *,
        CAST(sxs AS DOUBLE) - CAST(sx AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE) AS t,
        (CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE)) * (1 - CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE))
          * (CAST(snss AS DOUBLE) - CAST(sns AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE)) AS variance
    FROM moments
)
SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
       CASE WHEN quarters < 3 OR NOT variance > 0 THEN 'ej beräknad'
            WHEN t * t / variance <= $critical THEN 'ingen förändring'
            WHEN t > 0 THEN 'ökar' ELSE 'minskar' END AS trend
FROM tested
"""

_COMPARISONS_SQL = f"""
CREATE OR REPLACE TABLE comparisons AS
WITH cells AS (
    SELECT i.*, m.county_code, c.polarity, c.unit
    FROM indicators i
    JOIN municipality_reference m ON m.municipality_code = i.unit_code
    JOIN comparison_catalogue c USING (indicator_id)
    WHERE i.unit_type = 'kommun'
), benchmarks AS (
    SELECT *, 'riket' AS benchmark_unit_type, '0000' AS benchmark_unit_code FROM cells
    UNION ALL BY NAME
    SELECT *, 'lan' AS benchmark_unit_type, '00' || county_code AS benchmark_unit_code FROM cells
    UNION ALL BY NAME
    SELECT cells.*, 'grupp' AS benchmark_unit_type, g.peer_group AS benchmark_unit_code
    FROM cells JOIN peer_groups g ON g.municipality_code = cells.unit_code
)
SELECT
    b.period, b.period_type, b.unit_code, b.unit_type, b.target_group, b.breakdown,
    b.breakdown_value, b.indicator_id,
    b.benchmark_unit_type, b.benchmark_unit_code,
    CASE WHEN NOT r.suppressed THEN r.value END AS benchmark_value,
    CASE
        WHEN b.suppressed OR b.polarity IS NULL OR r.value IS NULL OR r.suppressed THEN 'ej jämförbar'
        WHEN b.ci95_low > r.value THEN CASE b.polarity WHEN '{HIGHER}' THEN 'bättre' ELSE 'sämre' END
        WHEN b.ci95_high < r.value THEN CASE b.polarity WHEN '{HIGHER}' THEN 'sämre' ELSE 'bättre' END
        ELSE 'likvärdig'
    END AS significance,
    q.quartile,
    CASE
        WHEN b.polarity IS NULL OR q.quartile IS NULL THEN 'grå'
        WHEN q.quartile = 1 THEN 'grön'
        WHEN q.quartile = 4 THEN 'röd'
        ELSE 'gul'
    END AS colour,
    CASE
        WHEN b.suppressed OR b.unit <> '{PERCENT}' OR country.value IS NULL THEN NULL
        WHEN b.ci998_low > country.value THEN 'High (0.001)'
        WHEN b.ci95_low > country.value THEN 'High (0.025)'
        WHEN b.ci998_high < country.value THEN 'Low (0.001)'
        WHEN b.ci95_high < country.value THEN 'Low (0.025)'
        ELSE 'Not significant'
    END AS funnel,
    coalesce(CASE WHEN b.period_type <> 'year' AND NOT b.suppressed THEN t.trend END, 'ej beräknad') AS trend
FROM benchmarks b
LEFT JOIN indicators r
    ON r.unit_code = b.benchmark_unit_code AND r.unit_type = b.benchmark_unit_type
   AND r.period = b.period AND r.period_type = b.period_type AND r.target_group = b.target_group
   AND r.breakdown = b.breakdown AND r.breakdown_value = b.breakdown_value AND r.indicator_id = b.indicator_id
LEFT JOIN indicators country
    ON country.unit_type = 'riket' AND country.period = b.period AND country.period_type = b.period_type
   AND country.target_group = b.target_group AND country.breakdown = b.breakdown
   AND country.breakdown_value = b.breakdown_value AND country.indicator_id = b.indicator_id
LEFT JOIN cell_quartiles q
    ON q.unit_code = b.unit_code AND q.period = b.period AND q.period_type = b.period_type
   AND q.target_group = b.target_group AND q.breakdown = b.breakdown
   AND q.breakdown_value = b.breakdown_value AND q.indicator_id = b.indicator_id
LEFT JOIN cell_trends t
    ON t.unit_code = b.unit_code AND t.period = b.period AND t.target_group = b.target_group
   AND t.breakdown = b.breakdown AND t.breakdown_value = b.breakdown_value AND t.indicator_id = b.indicator_id
ORDER BY {", ".join("b." + k.strip() for k in _KEYS.split(","))}, b.benchmark_unit_type, b.benchmark_unit_code
"""


def register_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    temp_table_from_frame(con, "comparison_catalogue", pd.DataFrame(
        [(i.id, i.unit, i.polarity) for i in INDICATORS], columns=["indicator_id", "unit", "polarity"],
    ).astype({"indicator_id": "str", "unit": "str", "polarity": "object"}))


def build_comparisons(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create `comparisons` from `indicators` and `peer_groups`; returns its row count.

    Needs the TEMP table `municipality_reference` (made by build_indicators on this connection)."""
    from uiv_core.indicators import register_municipality_reference

    register_municipality_reference(con)
    register_catalogue(con)
    quarters = [p for (p,) in con.execute(
        "SELECT DISTINCT period FROM indicators WHERE period_type = 'quarter'").fetchall()]
    temp_table_from_frame(con, "quarter_numbers", pd.DataFrame({
        "quarter": pd.Series(quarters, dtype="str"),
        "quarter_index": pd.Series([quarter_index(p) for p in quarters], dtype="int64"),
    }))
    con.execute(_QUARTILE_SQL)
    con.execute(_TREND_SQL, {"critical": float(stats.chi2.ppf(1 - TREND_ALPHA, 1))})
    con.execute(_COMPARISONS_SQL)
    for table in ("cell_quartiles", "cell_trends"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return con.execute("SELECT count(*) FROM comparisons").fetchall()[0][0]
