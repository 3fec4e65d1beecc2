INSERT INTO indicator_counts SELECT * FROM indicator_cells
