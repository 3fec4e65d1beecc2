"""Build the `indicators` table: every cell of indicators-v1, computed in DuckDB SQL.

One scan of `followups` aggregates every indicator's numerator, denominator (and, for means, the
sum of squares) at the finest grain (quarter × municipality × target group × the four breakdown
columns); GROUPING SETS over that give each target group and breakdown. Those sums are additive,
so years, rolling four quarters, counties, the country and peer groups are sums of
them. A final UNPIVOT makes the table long and adds the value, the Wilson or Student-t limits at
95 % and 99.8 % and the suppression flag. Limits use the formulas of `uiv_core.statistics`
(PHEindicatormethods), written out in SQL; the tests recompute every cell in pandas.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from uiv_core.quarters import affected_periods, quarter_index, quarter_label, quarters_needed
from uiv_core.sql import quote_identifier as q
from uiv_core.sql import temp_table_from_frame
from uiv_core.statistics import t_quantile, z_value
from uiv_schema.indicators import INDICATOR_VERSION, INDICATORS, MEAN, PERCENT
from uiv_schema.municipalities import municipalities

BREAKDOWNS = ("sex", "age_group", "main_substance", "intervention")
KEY_COLUMNS = ("period", "period_type", "unit_code", "unit_type", "target_group", "breakdown",
               "breakdown_value", "indicator_id")
CONFIDENCES = {"95": 0.95, "998": 0.998}


def _sums() -> list[tuple[str, str, str]]:
    """(numerator, denominator, sum of squares) column names per indicator."""
    return [(f"x:{i.id}", f"n:{i.id}", f"ss:{i.id}") for i in INDICATORS]


def _aggregates() -> str:
    parts = []
    for indicator in INDICATORS:
        x, n, ss = (q(c) for c in (f"x:{indicator.id}", f"n:{indicator.id}", f"ss:{indicator.id}"))
        counted = f"coalesce({indicator.denominator}, FALSE)"  # a NULL rating counts as not rated
        if indicator.unit == PERCENT:
            parts.append(f"count_if({counted} AND coalesce({indicator.numerator}, FALSE)) AS {x}")
            parts.append(f"count_if({counted}) AS {n}")
            parts.append(f"CAST(0 AS BIGINT) AS {ss}")  # unused; 0 keeps UNPIVOT from dropping it
        elif indicator.unit == MEAN:
            value = f"CAST({indicator.numerator} AS BIGINT)"
            parts.append(f"coalesce(sum(CASE WHEN {counted} THEN {value} END), 0)::BIGINT AS {x}")
            parts.append(f"count_if({counted}) AS {n}")
            parts.append(f"coalesce(sum(CASE WHEN {counted} THEN {value} * {value} END), 0)::BIGINT AS {ss}")
        else:
            raise ValueError(f"unknown unit {indicator.unit} of {indicator.id}")
    return ",\n    ".join(parts)


def _resum() -> str:
    return ",\n    ".join(
        f"CAST(sum({q(c)}) AS BIGINT) AS {q(c)}" for columns in _sums() for c in columns
    )


_FINEST = "quarter, municipality_code, target_group, " + ", ".join(BREAKDOWNS)


def _finest_sql(where: str) -> str:
    """One hash aggregation at the finest grain: far fewer rows than follow-ups for the sets."""
    return f"""
CREATE OR REPLACE TEMP TABLE indicator_finest AS
SELECT {_FINEST}, {_aggregates()}
FROM followups
{where}
GROUP BY {_FINEST}
"""


def _base_sql() -> str:
    sets = []
    for with_group in (True, False):
        group = ["quarter", "municipality_code"] + (["target_group"] if with_group else [])
        sets.append("(" + ", ".join(group) + ")")
        sets += ["(" + ", ".join(group + [b]) + ")" for b in BREAKDOWNS]
    which = " ".join(f"WHEN GROUPING({b}) = 0 THEN '{b}'" for b in BREAKDOWNS)
    value = " ".join(f"WHEN GROUPING({b}) = 0 THEN {b}" for b in BREAKDOWNS)
    return f"""
CREATE OR REPLACE TEMP TABLE indicator_sums_new AS
SELECT * FROM (
    SELECT
        quarter, municipality_code,
        CASE WHEN GROUPING(target_group) = 1 THEN 'alla' ELSE target_group END AS target_group,
        CASE {which} ELSE 'alla' END AS breakdown,
        CASE {value} ELSE 'alla' END AS breakdown_value,
        {_resum()}
    FROM indicator_finest
    GROUP BY GROUPING SETS ({", ".join(sets)})
)
WHERE breakdown_value IS NOT NULL  -- main_substance is blank outside target group missbruk
ORDER BY quarter, municipality_code, target_group, breakdown, breakdown_value
"""


_CELL = "target_group, breakdown, breakdown_value"

_PERIODS_SQL = f"""
CREATE OR REPLACE TEMP TABLE indicator_periods AS
SELECT * FROM (
SELECT 'quarter' AS period_type, quarter AS period, municipality_code, {_CELL}, * EXCLUDE (quarter, municipality_code, {_CELL})
FROM indicator_base
UNION ALL BY NAME
SELECT 'year' AS period_type, left(quarter, 4) AS period, municipality_code, {_CELL}, {{resum}}
FROM indicator_base GROUP BY left(quarter, 4), municipality_code, {_CELL}
UNION ALL BY NAME
SELECT 'rolling4q' AS period_type, w.period AS period, municipality_code, {_CELL}, {{resum}}
FROM indicator_base b JOIN rolling_window w USING (quarter)
GROUP BY w.period, municipality_code, {_CELL}
) SEMI JOIN wanted_periods USING (period_type, period)
"""

_UNITS_SQL = f"""
CREATE OR REPLACE TEMP TABLE indicator_units AS
SELECT period_type, period, 'kommun' AS unit_type, municipality_code AS unit_code, {_CELL},
       * EXCLUDE (period_type, period, municipality_code, {_CELL})
FROM indicator_periods
UNION ALL BY NAME
SELECT period_type, period, 'lan' AS unit_type, '00' || m.county_code AS unit_code, {_CELL}, {{resum}}
FROM indicator_periods p JOIN municipality_reference m USING (municipality_code)
GROUP BY period_type, period, m.county_code, {_CELL}
UNION ALL BY NAME
SELECT period_type, period, 'riket' AS unit_type, '0000' AS unit_code, {_CELL}, {{resum}}
FROM indicator_periods GROUP BY period_type, period, {_CELL}
UNION ALL BY NAME
SELECT period_type, period, 'grupp' AS unit_type, g.peer_group AS unit_code, {_CELL}, {{resum}}
FROM indicator_periods p JOIN peer_groups g USING (municipality_code)
GROUP BY period_type, period, g.peer_group, {_CELL}
"""


def _unpivot_sql() -> str:
    groups = ", ".join(
        f"({q(x)}, {q(n)}, {q(ss)}) AS {q(x[2:])}" for x, n, ss in _sums()
    )
    return f"""
CREATE OR REPLACE TEMP TABLE indicator_long AS
SELECT * FROM (
    UNPIVOT indicator_units ON {groups}
    INTO NAME indicator_id VALUE numerator, denominator, sum_squares
)
WHERE denominator > 0
"""


def _limits(level: str) -> str:
    """Wilson (percent) or Student-t (mean) limits at one confidence level, as SQL."""
    z = f"z{level}"
    wilson_root = f"{z} * sqrt({z} * {z} + 4 * l.numerator * (1 - l.numerator / l.denominator))"
    wilson = (
        f"100 * greatest(0, least(1, (2 * l.numerator + {z} * {z} {{sign}} {wilson_root}) / 2 / (l.denominator + {z} * {z})))"
    )
    t_half = f"t.t{level} * l.sd / sqrt(l.denominator)"
    return (
        f"CASE WHEN c.unit = '{PERCENT}' THEN {wilson.format(sign='-')} ELSE l.value - {t_half} END AS ci{level}_low,\n"
        f"    CASE WHEN c.unit = '{PERCENT}' THEN {wilson.format(sign='+')} ELSE l.value + {t_half} END AS ci{level}_high"
    )


_FINAL_SQL = f"""
CREATE OR REPLACE TEMP TABLE indicator_cells AS
WITH l AS (
    SELECT l.*, c.unit,
           CASE WHEN c.unit = '{PERCENT}' THEN 100 * l.numerator / l.denominator
                ELSE l.numerator / l.denominator END AS value,
           CASE WHEN c.unit = '{MEAN}' AND l.denominator > 1
                THEN sqrt(greatest(0, (l.sum_squares - l.numerator * l.numerator / l.denominator) / (l.denominator - 1)))
           END AS sd
    FROM indicator_long l JOIN indicator_catalogue c USING (indicator_id)
)
SELECT
    l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.breakdown,
    l.breakdown_value, l.indicator_id, CAST(l.numerator AS BIGINT) AS numerator,
    CAST(l.denominator AS BIGINT) AS denominator, l.value,
    {{limits95}},
    {{limits998}},
    l.denominator < $min_n AS suppressed,
    l.sd
FROM l JOIN indicator_catalogue c USING (indicator_id)
CROSS JOIN (SELECT $z95 AS z95, $z998 AS z998) AS zs
LEFT JOIN t_quantiles t ON t.df = l.denominator - 1
ORDER BY {", ".join(KEY_COLUMNS)}
"""


def load_peer_groups(path: str | None) -> pd.DataFrame:
    """A peer-group CSV (`municipality_code`, `peer_group`; `;` or `,`) checked against the 290."""
    columns = ["municipality_code", "peer_group"]
    if not path:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    frame = pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"peer groups {path}: column(s) {', '.join(missing)} missing")
    frame = frame[columns].apply(lambda s: s.str.strip())
    frame["municipality_code"] = frame["municipality_code"].str.zfill(4)
    unknown = sorted(set(frame["municipality_code"]) - set(municipalities()))
    if unknown:
        raise ValueError(f"peer groups {path}: unknown municipality code(s) {', '.join(unknown[:5])}")
    doubled = frame["municipality_code"][frame["municipality_code"].duplicated()].tolist()
    if doubled:
        raise ValueError(f"peer groups {path}: municipality {doubled[0]} is in more than one group")
    return frame.sort_values(columns).reset_index(drop=True)


def register_municipality_reference(con: duckdb.DuckDBPyConnection) -> None:
    """TEMP table municipality_reference (municipality_code, county_code) of the 290."""
    reference = pd.DataFrame(
        [(m.code, m.county_code) for m in municipalities().values()],
        columns=["municipality_code", "county_code"],
    ).astype("str")
    temp_table_from_frame(con, "municipality_reference", reference)


_FINGERPRINT_SQL = """
SELECT quarter, count(*) || ':' || max(loaded_at) || ':' || bit_xor(hash(municipality_code, record_id, source_sha256))
       AS fingerprint
FROM followups GROUP BY quarter
"""


def stale_quarters(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Quarters whose follow-ups changed since `table` (indicator_sums or indicators) was last
    computed for them, e.g. a re-delivery that moved a record to another quarter; [] before any build."""
    state = f"{table}_state"
    if not _table_exists(con, state):
        return []
    rows = con.execute(f"""
        SELECT coalesce(f.quarter, s.quarter) FROM ({_FINGERPRINT_SQL}) f FULL JOIN {state} s USING (quarter)
        WHERE f.fingerprint IS DISTINCT FROM s.fingerprint""").fetchall()
    return sorted((q for (q,) in rows), key=quarter_index)


def _remember_state(con: duckdb.DuckDBPyConnection, table: str, quarters: list[str] | None) -> None:
    """Store the follow-ups' fingerprint of the quarters `table` was just computed for."""
    state = f"{table}_state"
    if quarters is None or not _table_exists(con, state):
        con.execute(f"CREATE OR REPLACE TABLE {state} AS {_FINGERPRINT_SQL}")
        return
    temp_table_from_frame(con, "state_quarters", pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")}))
    con.execute(f"DELETE FROM {state} WHERE quarter IN (SELECT quarter FROM state_quarters)")
    con.execute(f"INSERT INTO {state} SELECT * FROM ({_FINGERPRINT_SQL}) "
                f"WHERE quarter IN (SELECT quarter FROM state_quarters)")
    con.execute("DROP TABLE state_quarters")




def build_indicator_sums(con: duckdb.DuckDBPyConnection, quarters: list[str] | None = None) -> int:
    """Replace the rows of `quarters` (None: all) in `indicator_sums`, the additive sums of every
    indicator per quarter × municipality × target group (and `alla`) × breakdown value. The rows of
    other quarters are left untouched; a changed catalogue (other columns) rebuilds every quarter.
    Returns the number of rows written. Call inside a transaction."""
    exists = _table_exists(con, "indicator_sums")
    if quarters is not None and not exists:
        quarters = None
    if quarters is not None:
        quarters = sorted(set(quarters) | set(stale_quarters(con, "indicator_sums")), key=quarter_index)
    if quarters is None:
        con.execute(_finest_sql(""))
    else:
        temp_table_from_frame(con, "sum_quarters", pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")}))
        con.execute(_finest_sql("WHERE quarter IN (SELECT quarter FROM sum_quarters)"))
    con.execute(_base_sql())
    new_columns = _columns(con, "indicator_sums_new")
    if quarters is not None and _columns(con, "indicator_sums") != new_columns:
        return build_indicator_sums(con, None)  # the catalogue changed: every quarter anew
    if quarters is None:
        con.execute("CREATE OR REPLACE TABLE indicator_sums AS SELECT * FROM indicator_sums_new")
    else:
        con.execute("DELETE FROM indicator_sums WHERE quarter IN (SELECT quarter FROM sum_quarters)")
        con.execute("INSERT INTO indicator_sums SELECT * FROM indicator_sums_new")
    written = con.execute("SELECT count(*) FROM indicator_sums_new").fetchall()[0][0]
    _remember_state(con, "indicator_sums", quarters)
    for table in ("indicator_finest", "indicator_sums_new", "sum_quarters"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return written


@dataclass(frozen=True)
class IndicatorUpdate:
    """What one `update_indicators` did: cells in the table, cells written, periods recomputed."""

    cells: int
    written: int
    periods: list[tuple[str, str]]
    full: bool


def _table_exists(con, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [table]).fetchall()[0][0])


def _columns(con, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {q(table)}").fetchall()]


def _settings_signature(min_n: int, peer_groups: pd.DataFrame) -> str:
    """What every stored cell depends on besides the follow-ups: a change means a full rebuild."""
    return json.dumps({
        "min_n": min_n, "method": INDICATOR_VERSION,
        "catalogue": [i.id for i in INDICATORS],
        "peer_groups": peer_groups.to_numpy().tolist(),
    }, ensure_ascii=False)


def update_indicators(con: duckdb.DuckDBPyConnection, min_n: int, peer_groups: pd.DataFrame,
                      changed_quarters: list[str] | None = None) -> IndicatorUpdate:
    """Recompute the `indicators` cells that the `changed_quarters` feed (None: every cell) from
    `indicator_sums`: those quarters, their years, the rolling windows holding them. Other cells
    are left as stored. A different min n, peer grouping or catalogue recomputes every cell.
    Call inside a transaction, after `build_indicator_sums` for the same quarters."""
    register_municipality_reference(con)
    signature = _settings_signature(min_n, peer_groups)
    stored = None
    if _table_exists(con, "indicator_settings") and _table_exists(con, "indicators"):
        stored = con.execute("SELECT signature FROM indicator_settings").fetchall()
    full = changed_quarters is None or stored != [(signature,)]
    if not full:
        changed_quarters = sorted(set(changed_quarters) | set(stale_quarters(con, "indicators")), key=quarter_index)
    con.execute("CREATE OR REPLACE TABLE peer_groups (municipality_code VARCHAR, peer_group VARCHAR)")
    con.register("_peer_frame", peer_groups)
    con.execute("INSERT INTO peer_groups SELECT municipality_code, peer_group FROM _peer_frame")
    con.unregister("_peer_frame")
    loaded = sorted((r for (r,) in con.execute("SELECT DISTINCT quarter FROM indicator_sums").fetchall()),
                    key=quarter_index)
    if full:
        recompute, stale = affected_periods(loaded, loaded)
    else:
        present = [r for (r,) in con.execute(
            "SELECT DISTINCT period FROM indicators WHERE period_type = 'rolling4q'").fetchall()]
        # a changed quarter left without rows gets its cells deleted (recomputed to nothing)
        recompute, stale = affected_periods(list(changed_quarters), loaded, present)
    needed = quarters_needed(recompute, loaded)
    temp_table_from_frame(con, "wanted_periods", pd.DataFrame(recompute, columns=["period_type", "period"])
                          .astype("str"))
    windows = [(label, quarter_label(quarter_index(label) - back))
               for kind, label in recompute if kind == "rolling4q" for back in range(4)]
    temp_table_from_frame(con, "rolling_window", pd.DataFrame(windows, columns=["period", "quarter"]).astype("str"))
    temp_table_from_frame(con, "needed_quarters", pd.DataFrame({"quarter": pd.Series(needed, dtype="str")}))
    temp_table_from_frame(con, "indicator_catalogue", pd.DataFrame(
        [(i.id, i.unit) for i in INDICATORS], columns=["indicator_id", "unit"]).astype("str"))

    con.execute("CREATE OR REPLACE TEMP TABLE indicator_base AS SELECT * FROM indicator_sums "
                "WHERE quarter IN (SELECT quarter FROM needed_quarters)")
    con.execute(_PERIODS_SQL.format(resum=_resum()))
    con.execute(_UNITS_SQL.format(resum=_resum()))
    con.execute(_unpivot_sql())
    dfs = [d for (d,) in con.execute(
        f"SELECT DISTINCT denominator - 1 FROM indicator_long JOIN indicator_catalogue USING (indicator_id) "
        f"WHERE unit = '{MEAN}' AND denominator > 1"
    ).fetchall()]
    temp_table_from_frame(con, "t_quantiles", pd.DataFrame({
        "df": pd.Series(dfs, dtype="int64"),
        **{f"t{level}": t_quantile(c, dfs) for level, c in CONFIDENCES.items()},
    }))
    sql = _FINAL_SQL.format(limits95=_limits("95"), limits998=_limits("998"))
    con.execute(sql, {"min_n": min_n, "z95": z_value(0.95), "z998": z_value(0.998)})
    if full:
        con.execute("CREATE OR REPLACE TABLE indicators AS SELECT * FROM indicator_cells")
    else:
        gone = pd.DataFrame(recompute + stale, columns=["period_type", "period"]).astype("str")
        temp_table_from_frame(con, "replaced_periods", gone)
        con.execute("DELETE FROM indicators USING replaced_periods r "
                    "WHERE indicators.period_type = r.period_type AND indicators.period = r.period")
        con.execute("INSERT INTO indicators SELECT * FROM indicator_cells")
    con.execute("CREATE OR REPLACE TABLE indicator_settings AS SELECT ?::VARCHAR AS signature", [signature])
    _remember_state(con, "indicators", None if full else list(changed_quarters))
    written = con.execute("SELECT count(*) FROM indicator_cells").fetchall()[0][0]
    for table in ("indicator_base", "indicator_periods", "indicator_units", "indicator_long", "indicator_cells",
                  "wanted_periods", "rolling_window", "needed_quarters", "replaced_periods"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    cells = con.execute("SELECT count(*) FROM indicators").fetchall()[0][0]
    return IndicatorUpdate(cells, written, recompute, full)


def build_indicators(con: duckdb.DuckDBPyConnection, min_n: int, peer_groups: pd.DataFrame) -> int:
    """(Re)create `indicator_sums`, `indicators` and `peer_groups` from all of `followups`; returns
    the number of cells."""
    build_indicator_sums(con)
    return update_indicators(con, min_n, peer_groups).cells
