"""Build the `indicators` table: every cell of indicators-v1, computed in DuckDB SQL.

One scan of `followups` aggregates every indicator's numerator, denominator (and, for means, the
sum of squares) at the finest grain (quarter × municipality × target group × the four breakdown
columns); GROUPING SETS over that give each target group and breakdown. Those sums are additive,
so years, rolling four quarters, counties, the country and peer groups are sums of
them. A final UNPIVOT makes the table long and adds the value, the Wilson or Student-t limits at
95 % and 99.8 % and the suppression flag. Limits use the formulas of `uiv_core.cells.statistics`
(PHEindicatormethods), written out in SQL; the tests recompute every cell in pandas.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from uiv_core.quarters import affected_periods, quarter_index, quarters_needed, window_quarters
from uiv_core.reference import register_reference
from uiv_core.sql import drop_stored_table, query, table_exists, temp_table_from_frame
from uiv_core.cells.statistics import t_quantile, z_value
from uiv_schema.indicators import INDICATOR_VERSION, INDICATORS, MEAN, PERCENT
from uiv_schema.municipalities import kommungrupper, municipalities

BREAKDOWNS = ("sex", "age_group", "main_substance", "intervention")
CONFIDENCES = {"95": 0.95, "998": 0.998}


def _sums() -> list[tuple[str, str, str]]:
    """(numerator, denominator, sum of squares) column names per indicator."""
    return [(f"x:{i.id}", f"n:{i.id}", f"ss:{i.id}") for i in INDICATORS]


def _catalogue_parts() -> dict:
    """The generated parts of the indicator SQL: the catalogue and its sum columns."""
    for indicator in INDICATORS:
        if indicator.unit not in (PERCENT, MEAN):
            raise ValueError(f"unknown unit {indicator.unit} of {indicator.id}")
    return {"indicators": INDICATORS, "percent": PERCENT, "breakdowns": BREAKDOWNS,
            "finest": ["quarter", "municipality_code", "target_group", *BREAKDOWNS],
            "sum_columns": [c for columns in _sums() for c in columns]}


#: a peer-group setting that asks for no peer groups at all
NO_PEER_GROUPS = "none"


def load_peer_groups(path: str | None) -> pd.DataFrame:
    """The peer groups (`municipality_code`, `peer_group`): by default (no path) SKR's
    kommungruppsindelning 2023, every municipality in its group, named as SKR names it; a CSV
    (`municipality_code`, `peer_group`; `;` or `,`) overrides it, checked against the 290;
    `none` means no peer groups."""
    columns = ["municipality_code", "peer_group"]
    if not path:
        groups = kommungrupper()
        return pd.DataFrame({"municipality_code": pd.Series(list(groups), dtype="str"),
                             "peer_group": pd.Series([g.name for g in groups.values()], dtype="str")}
                            ).sort_values(columns).reset_index(drop=True)
    if str(path).strip().lower() == NO_PEER_GROUPS:
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


def stale_quarters(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Quarters whose follow-ups changed since `table` (indicator_sums or indicators) was last
    computed for them, e.g. a re-delivery that moved a record to another quarter; [] before any build."""
    state = f"{table}_state"
    if not table_exists(con, state):
        return []
    rows = con.execute(query("stale_quarters", state=state)).fetchall()
    return sorted((q for (q,) in rows), key=quarter_index)


def _remember_state(con: duckdb.DuckDBPyConnection, table: str, quarters: list[str] | None) -> None:
    """Store the follow-ups' fingerprint of the quarters `table` was just computed for."""
    state = f"{table}_state"
    if quarters is None or not table_exists(con, state):
        con.execute(query("create_state", state=state))
        return
    temp_table_from_frame(con, "state_quarters", pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")}))
    con.execute(query("delete_state_partition", state=state))
    con.execute(query("insert_state_partition", state=state))
    con.execute(query("drop_table", table="state_quarters"))


def build_indicator_sums(con: duckdb.DuckDBPyConnection, quarters: list[str] | None = None) -> int:
    """Replace the rows of `quarters` (None: all) in `indicator_sums`, the additive sums of every
    indicator per quarter × municipality × target group (and `alla`) × breakdown value. The rows of
    other quarters are left untouched; a changed catalogue (other columns) rebuilds every quarter.
    Returns the number of rows written. Call inside a transaction."""
    exists = table_exists(con, "indicator_sums")
    if quarters is not None and not exists:
        quarters = None
    if quarters is not None:
        quarters = sorted(set(quarters) | set(stale_quarters(con, "indicator_sums")), key=quarter_index)
    if quarters is not None:
        temp_table_from_frame(con, "sum_quarters", pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")}))
    parts = _catalogue_parts()
    con.execute(query("indicator_finest", partial=quarters is not None, **parts))
    con.execute(query("indicator_sums_new", **parts))
    new_columns = _columns(con, "indicator_sums_new")
    if quarters is not None and _columns(con, "indicator_sums") != new_columns:
        return build_indicator_sums(con, None)  # the catalogue changed: every quarter anew
    if quarters is None:
        con.execute(query("create_indicator_sums"))
    else:
        con.execute(query("delete_indicator_sums_partition"))
        con.execute(query("insert_indicator_sums_partition"))
    written = con.execute(query("count_rows", table="indicator_sums_new")).fetchall()[0][0]
    _remember_state(con, "indicator_sums", quarters)
    for table in ("indicator_finest", "indicator_sums_new", "sum_quarters"):
        con.execute(query("drop_table", table=table))
    return written


@dataclass(frozen=True)
class IndicatorUpdate:
    """What one `update_indicators` did: cells in the table, cells written, periods recomputed."""

    cells: int
    written: int
    periods: list[tuple[str, str]]
    full: bool
    suppressed: int = 0  # of the cells written


def _columns(con, table: str) -> list[str]:
    return [row[0] for row in con.execute(query("table_columns"), {"table": table}).fetchall()]


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
    register_reference(con)
    signature = _settings_signature(min_n, peer_groups)
    stored = None
    if table_exists(con, "indicator_settings") and table_exists(con, "indicator_counts"):
        stored = con.execute(query("indicator_settings")).fetchall()
    full = changed_quarters is None or stored != [(signature,)]
    if not full:
        changed_quarters = sorted(set(changed_quarters) | set(stale_quarters(con, "indicators")), key=quarter_index)
    con.register("_peer_frame", peer_groups)
    con.execute(query("create_peer_groups"))
    con.unregister("_peer_frame")
    loaded = sorted((r for (r,) in con.execute(query("loaded_sum_quarters")).fetchall()),
                    key=quarter_index)
    if full:
        recompute, stale = affected_periods(loaded, loaded)
    else:
        present = [r for (r,) in con.execute(query("stored_rolling_windows")).fetchall()]
        # a changed quarter left without rows gets its cells deleted (recomputed to nothing)
        recompute, stale = affected_periods(list(changed_quarters), loaded, present)
    needed = quarters_needed(recompute, loaded)
    temp_table_from_frame(con, "wanted_periods", pd.DataFrame(recompute, columns=["period_type", "period"])
                          .astype("str"))
    windows = [(label, quarter) for kind, label in recompute if kind == "rolling4q" for quarter in window_quarters(label)]
    temp_table_from_frame(con, "rolling_window", pd.DataFrame(windows, columns=["period", "quarter"]).astype("str"))
    temp_table_from_frame(con, "needed_quarters", pd.DataFrame({"quarter": pd.Series(needed, dtype="str")}))

    parts = _catalogue_parts()
    con.execute(query("indicator_base"))
    con.execute(query("indicator_periods", **parts))
    con.execute(query("indicator_units", **parts))
    con.execute(query("indicator_long", **parts))
    con.execute(query("indicator_cells"), {"min_n": min_n})
    if full:
        con.execute(query("create_indicators"))
    else:
        gone = pd.DataFrame(recompute + stale, columns=["period_type", "period"]).astype("str")
        temp_table_from_frame(con, "replaced_periods", gone)
        con.execute(query("delete_indicator_partition"))
        con.execute(query("insert_indicator_partition"))
    _create_view(con, full)
    con.execute(query("create_indicator_settings"), {"signature": signature})
    _remember_state(con, "indicators", None if full else list(changed_quarters))
    written, suppressed = con.execute(query("count_written_cells")).fetchall()[0]
    for table in ("indicator_base", "indicator_periods", "indicator_units", "indicator_long", "indicator_cells",
                  "wanted_periods", "rolling_window", "needed_quarters", "replaced_periods"):
        con.execute(query("drop_table", table=table))
    cells = con.execute(query("count_rows", table="indicator_counts")).fetchall()[0][0]
    return IndicatorUpdate(cells, written, recompute, full, suppressed)


def _create_view(con: duckdb.DuckDBPyConnection, full: bool) -> None:
    """The view `indicators` over `indicator_counts`, with the Student-t quantiles every stored
    mean cell needs (added to `indicator_t_quantiles` as new degrees of freedom appear; all
    worked out anew when every cell is)."""
    drop_stored_table(con, "indicators")  # a store made before the counts were kept apart
    con.execute(query("create_indicator_t_quantiles"))
    if full:
        con.execute(query("clear_indicator_t_quantiles"))
    dfs = [d for (d,) in con.execute(query("indicator_t_degrees"), {"mean": MEAN}).fetchall()]
    if dfs:
        temp_table_from_frame(con, "new_t_quantiles", pd.DataFrame({
            "df": pd.Series(dfs, dtype="int64"),
            **{f"t{level}": t_quantile(c, dfs) for level, c in CONFIDENCES.items()},
        }))
        con.execute(query("insert_indicator_t_quantiles"))
        con.execute(query("drop_table", table="new_t_quantiles"))
    con.execute(query("indicators_view", **view_parts()))


def view_parts() -> dict:
    """The generated parts of the views `indicators` and `published_indicators`: the catalogue's
    mean indicators (the others are shares, `_catalogue_parts` checks it) and the normal
    quantiles, written exactly (repr) because a stored view holds no parameters."""
    _catalogue_parts()
    return {"z95": repr(z_value(0.95)), "z998": repr(z_value(0.998)),
            "mean_ids": [i.id for i in INDICATORS if i.unit == MEAN]}


def build_indicators(con: duckdb.DuckDBPyConnection, min_n: int, peer_groups: pd.DataFrame) -> int:
    """(Re)create `indicator_sums`, `indicators` and `peer_groups` from all of `followups`; returns
    the number of cells."""
    build_indicator_sums(con)
    return update_indicators(con, min_n, peer_groups).cells
