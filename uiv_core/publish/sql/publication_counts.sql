-- What the publication hid: primary (of them without follow-ups), secondary, `dold`, all cells.
SELECT count_if(suppressed), count_if(denominator = 0), count_if(hidden AND NOT suppressed),
       count_if(suppression = 'dold'), count(*)
FROM publication_cells
