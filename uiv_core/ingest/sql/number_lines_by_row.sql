-- Without quoted line breaks or blank lines: the header is line 1, row k is line k + 2.
UPDATE {{ table | ident }} SET line_number = rowid + 2
