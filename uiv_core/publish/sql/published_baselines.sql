{% import "_periods.sql" as periods %}
-- Goal-setting baselines of the published cells, and the suggested target chosen from published
-- inputs only (a hidden cell must not set a threshold, a median, a ceiling or a target). The rules,
-- the first that applies (methods.md, "Goal-setting"; codes from uiv_schema.results):
--   baseline hidden                                   → no target (too few follow-ups)
--   at or beyond the best-quartile threshold, or at
--   the end of the scale (100 %, 0 %, 4, 1)           → keep the level (target = baseline)
--   no change detectable at this n                    → better than the baseline (target = baseline)
--   the threshold one detectable change away or more  → the threshold
--   baseline + the detectable change within reach     → baseline + the detectable change
--   otherwise                                         → better than the baseline (target = baseline)
-- "Within reach": no better than the best published municipal value of the same period, target
-- group and indicator, and strictly inside the scale (never 100 % or 0 %, never 4 or 1).
-- A baseline under the planning n pools the latest eight quarters (baselines.pooled_*) where both
-- four-quarter windows are published: their sum is then no news to anyone. Where either is hidden
-- the four-quarter baseline stands (pooling would give a hidden window away by subtraction).
-- `yearly_n` is the latest four quarters' n: the n a change is detected at.
CREATE OR REPLACE TABLE published_baselines AS
WITH published_municipal AS (
    SELECT p.*, c.quartile
    FROM published_indicators p JOIN published_comparisons c USING (period, period_type, unit_code, unit_type,
                                                                   target_group, breakdown, breakdown_value, indicator_id)
    WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.breakdown = 'alla'
      AND c.benchmark_unit_type = 'riket' AND p.value IS NOT NULL
), thresholds AS (  -- from published values only: a hidden cell must not set the threshold
    SELECT m.period, m.target_group, m.indicator_id,
           min(m.value) FILTER (WHERE m.quartile = 1) AS lowest_best, max(m.value) FILTER (WHERE m.quartile = 1) AS highest_best,
           min(m.value) AS lowest, max(m.value) AS highest
    FROM published_municipal m
    GROUP BY ALL
), peer_medians AS (
    SELECT m.period, g.peer_group, m.target_group, m.indicator_id, median(m.value) AS peer_median
    FROM published_municipal m JOIN peer_groups g ON g.municipality_code = m.unit_code
    GROUP BY ALL
), pooling AS (
    SELECT b.*, b.pooled_n IS NOT NULL AND p.value IS NOT NULL AND q.value IS NOT NULL AS pooled,
           p.value, p.ci95_low, p.ci95_high, p.denominator, p.suppression
    FROM baselines b
    JOIN published_indicators p ON p.unit_type = 'kommun' AND p.unit_code = b.unit_code AND p.period = b.period
     AND p.period_type = 'rolling4q' AND p.target_group = b.target_group AND p.breakdown = 'alla'
     AND p.indicator_id = b.indicator_id
    LEFT JOIN published_indicators q ON q.unit_type = 'kommun' AND q.unit_code = b.unit_code
     AND q.period = {{ periods.year_before('b.period') }}
     AND q.period_type = 'rolling4q' AND q.target_group = b.target_group AND q.breakdown = 'alla'
     AND q.indicator_id = b.indicator_id
), inputs AS (
    SELECT b.unit_code, b.target_group, b.indicator_id, b.period, i.unit, i.polarity,
           CASE WHEN i.polarity = $higher THEN 1 ELSE -1 END AS better,
           CASE WHEN b.pooled THEN 8 ELSE 4 END AS baseline_quarters,
           CASE WHEN b.pooled THEN b.pooled_value ELSE b.value END AS baseline_value,
           CASE WHEN b.pooled THEN b.pooled_ci95_low ELSE b.ci95_low END AS baseline_ci95_low,
           CASE WHEN b.pooled THEN b.pooled_ci95_high ELSE b.ci95_high END AS baseline_ci95_high,
           CASE WHEN b.pooled THEN b.pooled_n ELSE b.denominator END AS baseline_n,
           b.denominator AS yearly_n, b.suppression,
           country.value AS country_value, county.value AS county_value, b.peer_group, pm.peer_median,
           CASE WHEN i.polarity = $higher THEN t.lowest_best ELSE t.highest_best END AS best_quartile_threshold,
           CASE WHEN i.polarity = $higher THEN t.highest ELSE t.lowest END AS best_published_value,
           CASE WHEN b.pooled THEN b.pooled_min_detectable_change
                WHEN b.value IS NOT NULL THEN b.min_detectable_change END AS min_detectable_change,
           CASE WHEN b.pooled THEN b.pooled_n_needed WHEN b.value IS NOT NULL THEN b.n_needed END AS n_needed,
           CASE WHEN i.unit = $percent THEN 0.0 ELSE 1.0 END AS scale_low,
           CASE WHEN i.unit = $percent THEN 100.0 ELSE 4.0 END AS scale_high
    FROM pooling b
    JOIN municipality_reference m ON m.municipality_code = b.unit_code
    JOIN indicator_catalogue i ON i.indicator_id = b.indicator_id
    LEFT JOIN thresholds t ON t.period = b.period AND t.target_group = b.target_group AND t.indicator_id = b.indicator_id
    LEFT JOIN peer_medians pm ON pm.period = b.period AND pm.peer_group = b.peer_group
         AND pm.target_group = b.target_group AND pm.indicator_id = b.indicator_id
    LEFT JOIN published_indicators country ON country.unit_type = 'riket' AND country.period = b.period
     AND country.period_type = 'rolling4q' AND country.target_group = b.target_group
     AND country.breakdown = 'alla' AND country.indicator_id = b.indicator_id
    LEFT JOIN published_indicators county ON county.unit_type = 'lan' AND county.unit_code = '00' || m.county_code
     AND county.period = b.period AND county.period_type = 'rolling4q' AND county.target_group = b.target_group
     AND county.breakdown = 'alla' AND county.indicator_id = b.indicator_id
), reach AS (  -- is a target value within reach: no better than the best published value, inside the scale
    SELECT *,
           baseline_value + better * min_detectable_change AS improved,
           better * (best_quartile_threshold - baseline_value) >= min_detectable_change
               AND best_quartile_threshold > scale_low AND best_quartile_threshold < scale_high AS threshold_in_reach,
           better * (baseline_value + better * min_detectable_change) <= better * best_published_value
               AND baseline_value + better * min_detectable_change > scale_low
               AND baseline_value + better * min_detectable_change < scale_high AS improved_in_reach
    FROM inputs
), ruled AS (
    SELECT *,
           CASE WHEN baseline_value IS NULL THEN {{ result.TARGET_RULE.TOO_FEW | literal }}
                WHEN better * (baseline_value - best_quartile_threshold) >= 0
                  OR baseline_value >= scale_high AND better = 1 OR baseline_value <= scale_low AND better = -1
                THEN {{ result.TARGET_RULE.KEEP | literal }}
                WHEN min_detectable_change IS NULL THEN {{ result.TARGET_RULE.BETTER_THAN_BASELINE | literal }}
                WHEN coalesce(threshold_in_reach, false) THEN {{ result.TARGET_RULE.BEST_QUARTILE | literal }}
                WHEN coalesce(improved_in_reach, false) THEN {{ result.TARGET_RULE.DETECTABLE | literal }}
                ELSE {{ result.TARGET_RULE.BETTER_THAN_BASELINE | literal }} END AS target_rule
    FROM reach
)
SELECT unit_code, target_group, indicator_id, period, baseline_quarters, baseline_value, baseline_ci95_low,
       baseline_ci95_high, baseline_n, yearly_n, suppression, country_value, county_value, peer_group, peer_median, best_quartile_threshold,
       best_published_value, min_detectable_change, n_needed,
       -- never beyond the best published value: a pooled baseline (eight quarters) may lie beyond
       -- every four-quarter value; its target is then that best value
       CASE WHEN target_rule = {{ result.TARGET_RULE.TOO_FEW | literal }} THEN NULL
            WHEN target_rule = {{ result.TARGET_RULE.BEST_QUARTILE | literal }} THEN best_quartile_threshold
            WHEN target_rule = {{ result.TARGET_RULE.DETECTABLE | literal }} THEN improved
            WHEN better * (baseline_value - best_published_value) > 0 THEN best_published_value
            ELSE baseline_value END AS suggested_target,
       target_rule
FROM ruled
ORDER BY unit_code, target_group, indicator_id
