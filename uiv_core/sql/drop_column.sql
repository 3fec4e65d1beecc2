ALTER TABLE {{ table | ident }} DROP COLUMN {{ column | ident }}
