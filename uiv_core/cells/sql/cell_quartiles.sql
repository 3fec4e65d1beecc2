-- Quartiles of the municipalities' shown cells per period × target group × breakdown value ×
-- indicator (the SKR/Öppna jämförelser rank rule; fewer than four municipalities: none).
-- Values: $lower (the catalogue's polarity code for "lower is better"); with `by_period`, $periods
-- (a list of 'period period_type': only those periods' quartiles).
CREATE OR REPLACE TEMP TABLE cell_quartiles AS
WITH published AS (
    SELECT period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id, value, c.polarity,
           max(value) OVER g AS max_value, count(*) OVER g AS areas
    FROM indicators i JOIN indicator_catalogue c USING (indicator_id)
    WHERE unit_type = 'kommun' AND NOT suppressed
    {% if by_period %}AND {% include "_in_periods.sql" %}{% endif %}

    WINDOW g AS (PARTITION BY period, period_type, target_group, breakdown, breakdown_value, indicator_id)
), adjusted AS (
    SELECT *, CASE WHEN polarity = $lower THEN value ELSE max_value - value END AS adj_value
    FROM published
), ranked AS (
    SELECT *, rank() OVER (PARTITION BY period, period_type, target_group, breakdown, breakdown_value,
                                        indicator_id ORDER BY adj_value) AS value_rank
    FROM adjusted
)
SELECT period, period_type, unit_code, unit_type, target_group, breakdown, breakdown_value, indicator_id,
       CASE WHEN areas < 4 THEN NULL
            ELSE greatest(1, floor(5 - ceil(((areas + 1) - value_rank) / (areas / 4))))::INTEGER
       END AS quartile
FROM ranked
