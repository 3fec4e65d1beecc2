-- The trend of each municipality cell over its last `trend_quarters` quarters: the score test for
-- a linear trend of the answers over the quarters, 'ökar' / 'minskar' / 'ingen förändring', or
-- 'ej beräknad' with fewer than three quarters. For a share it is the chi-square test for trend in
-- proportions (Cochran-Armitage; the answers are 0/1 and their sum of squares is the numerator);
-- for a mean rating the same statistic N·r² over the ratings, whose sum of squares comes back from
-- the stored standard deviation (sd² · (n − 1) + x²/n). Values: $critical (chi-square quantile), $percent;
-- with `by_period`, only the trends of the quarters $labels (a list; a rolling window's trend is
-- its last quarter's), from the quarters from $first_index on (the earliest one's window).
CREATE OR REPLACE TEMP TABLE cell_trends AS
WITH quarterly AS (
    SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
           CAST(numerator AS HUGEINT) AS x, CAST(denominator AS HUGEINT) AS n,
           CAST(q.quarter_index AS HUGEINT) AS s,
           CASE WHEN c.unit = $percent THEN CAST(numerator AS DOUBLE)
                ELSE coalesce(sd * sd * (denominator - 1), 0) + CAST(numerator AS DOUBLE) * numerator / denominator
           END AS xx
    FROM indicators i JOIN quarter_numbers q ON q.quarter = i.period
    JOIN indicator_catalogue c USING (indicator_id)
    WHERE unit_type = 'kommun' AND period_type = 'quarter' AND denominator > 0
    {% if by_period %}AND q.quarter_index >= $first_index{% endif %}

), moments AS (
    SELECT *,
        count(*) OVER w AS quarters, sum(n) OVER w AS sn, sum(x) OVER w AS sx,
        sum(n * s) OVER w AS sns, sum(n * s * s) OVER w AS snss, sum(x * s) OVER w AS sxs, sum(xx) OVER w AS sxx
    FROM quarterly
    WINDOW w AS (PARTITION BY unit_code, target_group, breakdown, breakdown_value, indicator_id
                 ORDER BY s RANGE BETWEEN {{ trend_quarters - 1 }} PRECEDING AND CURRENT ROW)
), tested AS (
    SELECT *,
        CAST(sxs AS DOUBLE) - CAST(sx AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE) AS t,
        -- the answers' variance (population form); rounding of the stored sd is not variance
        CASE WHEN sxx - CAST(sx AS DOUBLE) * CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE) > 1e-12 * sxx
             THEN (sxx - CAST(sx AS DOUBLE) * CAST(sx AS DOUBLE) / CAST(sn AS DOUBLE)) / CAST(sn AS DOUBLE)
             ELSE 0 END
          * (CAST(snss AS DOUBLE) - CAST(sns AS DOUBLE) * CAST(sns AS DOUBLE) / CAST(sn AS DOUBLE)) AS variance
    FROM moments
)
SELECT unit_code, target_group, breakdown, breakdown_value, indicator_id, period,
       CASE WHEN quarters < 3 OR NOT variance > 0 THEN {{ result.TREND.NOT_CALCULATED | literal }}
            WHEN t * t / variance <= $critical THEN {{ result.TREND.FLAT | literal }}
            WHEN t > 0 THEN {{ result.TREND.UP | literal }} ELSE {{ result.TREND.DOWN | literal }} END AS trend
FROM tested
{% if by_period %}WHERE list_contains($labels, period){% endif %}
