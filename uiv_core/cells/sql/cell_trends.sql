-- The trend of each municipality share over its last `trend_quarters` quarters: a chi-square
-- test for trend (PHEindicatormethods), 'ökar' / 'minskar' / 'ingen förändring', or 'ej beräknad'
-- with fewer than three quarters. Values: $critical (the chi-square quantile), $percent.
CREATE OR REPLACE TEMP TABLE cell_trends AS
WITH quarterly AS (
    SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
           CAST(numerator AS HUGEINT) AS x, CAST(denominator AS HUGEINT) AS n,
           CAST(q.quarter_index AS HUGEINT) AS s
    FROM indicators i JOIN quarter_numbers q ON q.quarter = i.period
    JOIN indicator_catalogue c USING (indicator_id)
    WHERE unit_type = 'kommun' AND period_type = 'quarter' AND c.unit = $percent
), moments AS (
    SELECT *,
        count(*) OVER w AS quarters, sum(n) OVER w AS sn, sum(x) OVER w AS sx,
        sum(n * s) OVER w AS sns, sum(n * s * s) OVER w AS snss, sum(x * s) OVER w AS sxs
    FROM quarterly
    WINDOW w AS (PARTITION BY unit_code, target_group, breakdown, breakdown_value, indicator_id
                 ORDER BY s RANGE BETWEEN {{ trend_quarters - 1 }} PRECEDING AND CURRENT ROW)
), tested AS (
    SELECT *,
        CAST(sxs AS DOUBLE) - CAST(sx AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE) AS t,
        (CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE)) * (1 - CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE))
          * (CAST(snss AS DOUBLE) - CAST(sns AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE)) AS variance
    FROM moments
)
SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
       CASE WHEN quarters < 3 OR NOT variance > 0 THEN {{ result.TREND.NOT_CALCULATED | literal }}
            WHEN t * t / variance <= $critical THEN {{ result.TREND.FLAT | literal }}
            WHEN t > 0 THEN {{ result.TREND.UP | literal }} ELSE {{ result.TREND.DOWN | literal }} END AS trend
FROM tested
