ALTER TABLE {{ table | ident }} ADD COLUMN line_number BIGINT
