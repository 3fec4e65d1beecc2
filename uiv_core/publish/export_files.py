"""The names of the export files every refresh writes (`exports` writes them, the report links
them, a refresh with nothing new checks they are in place): one place, no heavy imports."""

#: the indicator workbooks: file name → the part of the published rows it holds (_export_scope.sql);
#: indicatorer.csv holds the three together ("all"), the parquet file every published period
WORKBOOKS: dict[str, str] = {"indicatorer.xlsx": "latest", "indicatorer_uppdelningar.xlsx": "breakdowns",
                             "indicatorer_kalenderar.xlsx": "years"}
CSV_FILE, PARQUET_FILE = "indicatorer.csv", "indicators.parquet"
#: the case-mix adjusted cells (uiv_core.publish.adjusted_exports)
ADJUSTED_WORKBOOK, ADJUSTED_PARQUET = "indikatorer_justerade.xlsx", "adjusted.parquet"
#: a column's kind in the workbooks, which sets its number format: text, a count ("0"), a value
#: (one decimal for a share, two for a mean), a ratio (always two decimals)
TEXT, COUNT, VALUE, RATIO = "text", "count", "value", "ratio"
