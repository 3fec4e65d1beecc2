-- The rows of indikatorer_justerade.xlsx: the key, the figures (generated list) and the
-- significance of each published adjusted cell, sorted by the key.
SELECT period, period_type, unit_code, unit_type, target_group, indicator_id,
       {% for f in figures %}{{ f | ident }}, {% endfor %}significance, suppressed
FROM published_adjusted
ORDER BY period, period_type, unit_code, unit_type, target_group, indicator_id
