-- A TEMP table holding a copy of a registered frame.
CREATE OR REPLACE TEMP TABLE {{ table | ident }} AS SELECT * FROM {{ view | ident }}
