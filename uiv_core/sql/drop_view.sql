-- Drop a (temporary) view if it exists. Generated: the view name.
DROP VIEW IF EXISTS {{ view | ident }}
