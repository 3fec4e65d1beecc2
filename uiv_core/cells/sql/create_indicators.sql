-- Every cell anew (a first build, or a changed min n, peer grouping or catalogue).
CREATE OR REPLACE TABLE indicator_counts AS SELECT * FROM indicator_cells
