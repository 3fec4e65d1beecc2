INSERT INTO indicators SELECT * FROM indicator_cells
