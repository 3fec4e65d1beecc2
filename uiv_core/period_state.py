"""Tables built period by period, rewritten only where their inputs changed.

A table of this kind (`comparison_results`, `adjusted_indicators`, `published_comparison_results`)
keeps its periods' keys in the store's `period_state` (table name, period, period type, key). The
key of a period is a fingerprint of everything its rows are computed from; the builder works the
keys out (cheaply, without reading the rows), and `plan` compares them with the stored ones:

- no keys kept, or no table: the whole table is written (`Plan.whole`);
- else the periods whose key differs or is new are rewritten (`delete_periods`, then the builder
  inserts them) and the periods no longer there are deleted; the others stay as they are.

`write_groups` runs the builder's statement over groups of periods (one group while a store is
small, one period at a time beyond `cells`: `uiv_core.quarters.period_groups`), the first group
creating the table when it is written whole; `remember` stores the keys afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import duckdb
import pandas as pd

from uiv_core.quarters import period_groups
from uiv_core.sql import query, table_exists, temp_table_from_frame

Period = tuple[str, str, int]  # period, period type, cells


class Plan(NamedTuple):
    write: list[Period]  #: the periods to write, in the table's order
    gone: list[str]  #: 'period period_type' to delete before writing
    whole: bool  #: the whole table is written anew


def plan(con: duckdb.DuckDBPyConnection, table: str, current: list[Period], keys: dict | None,
         incremental: bool) -> Plan:
    """What to write of `table`: `current` lists its periods now, `keys` their keys
    ({(period, period type): key}; None: unknown, the whole table)."""
    if not incremental or keys is None or not (table_exists(con, table) and table_exists(con, "period_state")):
        return Plan(current, [], True)
    stored = {(p, t): key for p, t, key in con.execute(query("period_keys"), {"table": table}).fetchall()}
    if not stored:  # none kept (written whole without keys, or never): the whole table
        return Plan(current, [], True)
    write = [row for row in current if stored.get(row[:2]) != keys[row[:2]]]
    gone = [f"{p} {t}" for p, t in stored if (p, t) not in keys] + [f"{p} {t}" for p, t, _ in write]
    return Plan(write, gone, False)


def delete_periods(con: duckdb.DuckDBPyConnection, table: str, chosen: Plan) -> None:
    if chosen.gone and not chosen.whole:
        con.execute(query("delete_periods", table=table), {"periods": chosen.gone})


def write_groups(con: duckdb.DuckDBPyConnection, statement: Callable[..., str], chosen: Plan, cells: int,
                 values: dict) -> None:
    """Run `statement(insert=..., by_period=...)` (a rendered query) over `chosen.write` a group at
    a time; written whole with no period at all, the statement over every period (an empty table)."""
    groups = period_groups(chosen.write, cells)
    if not groups and chosen.whole:
        con.execute(statement(insert=False, by_period=False), values)
    for number, group in enumerate(groups):  # a group of periods at a time: its memory, not the store's
        con.execute(statement(insert=not chosen.whole or number > 0, by_period=True), values | {"periods": group})


def remember(con: duckdb.DuckDBPyConnection, table: str, keys: dict | None) -> None:
    """Store the keys the table was just written from (none known: none kept, so the next run
    writes the whole table)."""
    con.execute(query("create_period_state"))
    con.execute(query("forget_period_keys"), {"table": table})
    if keys is None:
        return
    temp_table_from_frame(con, "new_period_keys", pd.DataFrame(
        [(period, kind, key) for (period, kind), key in keys.items()],
        columns=["period", "period_type", "key"], dtype="str"))
    con.execute(query("insert_period_keys"), {"table": table})
    con.execute(query("drop_table", table="new_period_keys"))
