{% import "_cell_figures.sql" as figures with context %}
-- The published cells, as every publisher reads them: the counts of `published_counts` and the
-- value and limits worked out from them (_cell_figures.sql, as in `indicators`); figures of
-- hidden cells are NULL, `suppression` says why (or `dold`).
CREATE OR REPLACE VIEW published_indicators AS
WITH l AS (
{{ figures.counted('published_counts') }}
)
SELECT l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.breakdown, l.breakdown_value,
       l.indicator_id, l.numerator, l.denominator, l.value,
{{ figures.limits('95') }},
{{ figures.limits('998') }},
       l.suppression
FROM l
{{ figures.joined() }}
