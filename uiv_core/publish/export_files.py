"""The names of the export files every refresh writes (`exports` writes them, the report links
them, a refresh with nothing new checks they are in place): one place, no heavy imports."""

#: the indicator workbooks: file name → the part of the published rows it holds (_export_scope.sql);
#: indicatorer.csv holds the three together ("all"), the parquet file every published period
WORKBOOKS: dict[str, str] = {"indicatorer.xlsx": "latest", "indicatorer_uppdelningar.xlsx": "breakdowns",
                             "indicatorer_kalenderar.xlsx": "years"}
CSV_FILE, PARQUET_FILE = "indicatorer.csv", "indicators.parquet"
