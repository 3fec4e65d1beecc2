-- What the adjusted_indicators asset reports: its cells and how many are suppressed.
SELECT count(*), count_if(suppressed) FROM adjusted_indicators
