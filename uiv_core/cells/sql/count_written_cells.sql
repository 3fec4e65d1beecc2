-- The cells one update_indicators computed (its periods only), and how many of them are under the min n.
SELECT count(*), count_if(suppressed) FROM indicator_cells
