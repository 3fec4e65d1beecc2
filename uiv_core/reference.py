"""Reference data on a connection: the TEMP tables that the cell statements join, all
registered by one function (cheap: 290 + 47 rows), so no module depends on another having
registered them first.

- `municipality_reference` (municipality_code, county_code): the 290 municipalities and their
  counties (`uiv_schema.municipalities`, SCB's codes);
- `indicator_catalogue` (indicator_id, unit, polarity): the indicator catalogue
  (`uiv_schema.indicators`): unit `percent` or `mean`, polarity `higher`, `lower` or NULL.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from uiv_core.sql import temp_table_from_frame
from uiv_schema.indicators import INDICATORS
from uiv_schema.municipalities import municipalities

#: the TEMP tables `register_reference` provides
REFERENCE_TABLES = ("municipality_reference", "indicator_catalogue")


def register_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every table of REFERENCE_TABLES on `con`; call it at the start of a step."""
    temp_table_from_frame(con, "municipality_reference", pd.DataFrame(
        [(m.code, m.county_code) for m in municipalities().values()],
        columns=["municipality_code", "county_code"]).astype("str"))
    temp_table_from_frame(con, "indicator_catalogue", pd.DataFrame(
        [(i.id, i.unit, i.polarity) for i in INDICATORS], columns=["indicator_id", "unit", "polarity"],
    ).astype({"indicator_id": "str", "unit": "str", "polarity": "object"}))
