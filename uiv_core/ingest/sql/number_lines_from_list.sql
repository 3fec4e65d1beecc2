-- The line numbers worked out in Python (TEMP uiv_line_numbers: row ordinal → line).
UPDATE {{ table | ident }} SET line_number = n.line_number FROM uiv_line_numbers n
WHERE {{ table | ident }}.rowid = n.ordinal
