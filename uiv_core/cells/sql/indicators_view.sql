{% import "_cell_figures.sql" as figures with context %}
-- The view every reader of cells uses: the stored counts (`indicator_counts`) with the value,
-- the 95 % and 99.8 % limits, the suppression flag and, for means, the standard deviation, worked
-- out on reading (_cell_figures.sql), so that the store keeps only integers.
CREATE OR REPLACE VIEW indicators AS
WITH l AS (
{{ figures.counted('indicator_counts') }}
)
SELECT
    l.period, l.period_type, l.unit_code, l.unit_type, l.target_group, l.breakdown,
    l.breakdown_value, l.indicator_id, l.numerator, l.denominator, l.value,
{{ figures.limits('95') }},
{{ figures.limits('998') }},
    l.suppressed,
    l.sd
FROM l
{{ figures.joined() }}
