"""The case-mix adjusted cells as files: the rows of `indikatorer_justerade.xlsx` (written by
`uiv_core.publish.exports` with the other workbooks) and `adjusted.parquet`. They read only
`published_adjusted`: a cell whose crude cell is hidden, or that is itself suppressed, reaches
them without figures (`..` in the workbook, NULL in the Parquet file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from uiv_core.publish.export_files import COUNT, RATIO, TEXT, VALUE
from uiv_core.publish.xlsx import replacing
from uiv_core.sql import query
from uiv_schema.indicators import INDICATOR_BY_ID, PERCENT
from uiv_schema.labels import (PERIOD_TYPE_LABELS, SIGNIFICANCE_LABELS, SUPPRESSED_MARK, TARGET_GROUP_LABELS,
                               UNIT_TYPE_LABELS)

#: (key, kind, width) of indikatorer_justerade.xlsx
ADJUSTED_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("period", TEXT, 9), ("period_type", TEXT, 21), ("unit_code", TEXT, 11), ("unit_name", TEXT, 22),
    ("unit_type", TEXT, 15), ("target_group", TEXT, 21), ("indicator_id", TEXT, 34), ("indicator_name", TEXT, 44),
    ("observed", COUNT, 10), ("denominator", COUNT, 9), ("expected", COUNT, 10), ("ratio", RATIO, 7),
    ("ratio_ci95_low", RATIO, 10), ("ratio_ci95_high", RATIO, 10), ("ratio_ci998_low", RATIO, 10),
    ("ratio_ci998_high", RATIO, 10), ("adjusted_value", VALUE, 10), ("adjusted_ci95_low", VALUE, 12),
    ("adjusted_ci95_high", VALUE, 12), ("standard_value", VALUE, 10), ("adjusted_significance", TEXT, 26),
)
#: the figures of a row, in ADJUSTED_COLUMNS order from `observed` on (SQL: adjusted_export_rows.sql)
FIGURES = ("observed", "denominator", "expected", "ratio", "ratio_ci95_low", "ratio_ci95_high", "ratio_ci998_low",
           "ratio_ci998_high", "value", "ci95_low", "ci95_high", "standard_value")


def adjusted_rows(con: duckdb.DuckDBPyConnection, names: dict) -> Iterator[tuple[list, str]]:
    """The workbook's rows (cells, unit), sorted by the cell key; hidden figures as `..`."""
    result = con.execute(query("adjusted_export_rows", figures=FIGURES))
    while batch := result.fetchmany(50_000):
        for period, period_type, code, unit_type, group, indicator_id, *figures, significance, suppressed in batch:
            if suppressed:
                figures = [f if key in ("observed", "denominator") and f is not None else SUPPRESSED_MARK
                           for key, f in zip(FIGURES, figures)]
            yield [period, PERIOD_TYPE_LABELS[period_type], code, names[unit_type, code],
                   UNIT_TYPE_LABELS[unit_type], TARGET_GROUP_LABELS[group], indicator_id,
                   INDICATOR_BY_ID[indicator_id].name_sv, *figures,
                   SIGNIFICANCE_LABELS.get(significance)], PERCENT


def write_adjusted_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """adjusted.parquet: every row of `published_adjusted` with the unit's and the indicator's
    names (the relations `export_unit_names` and `export_catalogue`, registered by the caller in
    `uiv_core.publish.exports`), sorted; NULL where not shown."""
    table = con.sql(query("adjusted_parquet_rows")).to_arrow_table()
    with replacing(path) as temporary:
        pq.write_table(table.combine_chunks(), temporary, compression="zstd")
    return path
