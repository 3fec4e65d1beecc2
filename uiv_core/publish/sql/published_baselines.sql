-- Goal-setting baselines of the published cells. The best-quartile threshold and the peer median
-- come from published values only: a hidden cell must not set them.
CREATE OR REPLACE TABLE published_baselines AS
WITH published_municipal AS (
    SELECT p.*, c.quartile, c.indicator_id AS id
    FROM published_indicators p JOIN published_comparisons c USING (period, period_type, unit_code, unit_type,
                                                                   target_group, breakdown, breakdown_value, indicator_id)
    WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.breakdown = 'alla'
      AND c.benchmark_unit_type = 'riket' AND p.value IS NOT NULL
), thresholds AS (  -- from published values only: a hidden cell must not set the threshold
    SELECT m.period, m.target_group, m.indicator_id,
           min(m.value) AS lowest, max(m.value) AS highest
    FROM published_municipal m
    WHERE m.quartile = 1
    GROUP BY ALL
), peer_medians AS (
    SELECT m.period, g.peer_group, m.target_group, m.indicator_id, median(m.value) AS peer_median
    FROM published_municipal m JOIN peer_groups g ON g.municipality_code = m.unit_code
    GROUP BY ALL
)
SELECT b.unit_code, b.target_group, b.indicator_id, b.period,
       p.value AS baseline_value, p.ci95_low AS baseline_ci95_low, p.ci95_high AS baseline_ci95_high,
       p.denominator AS baseline_n, p.suppression,
       country.value AS country_value, county.value AS county_value, b.peer_group,
       pm.peer_median,
       CASE WHEN i.polarity = 'higher' THEN t.lowest ELSE t.highest END AS best_quartile_threshold,
       CASE WHEN p.value IS NOT NULL THEN b.min_detectable_change END AS min_detectable_change,
       CASE WHEN p.value IS NULL THEN NULL
            WHEN b.target_rule = {{ result.TARGET_RULE.BEST_QUARTILE | literal }}
            THEN CASE WHEN i.polarity = 'higher' THEN t.lowest ELSE t.highest END
            ELSE b.suggested_target END AS suggested_target,
       CASE WHEN p.value IS NOT NULL THEN b.target_rule ELSE {{ result.TARGET_RULE.TOO_FEW | literal }} END AS target_rule
FROM baselines b
JOIN municipality_reference m ON m.municipality_code = b.unit_code
JOIN indicator_catalogue i ON i.indicator_id = b.indicator_id
LEFT JOIN thresholds t ON t.period = b.period AND t.target_group = b.target_group AND t.indicator_id = b.indicator_id
LEFT JOIN peer_medians pm ON pm.period = b.period AND pm.peer_group = b.peer_group AND pm.target_group = b.target_group
     AND pm.indicator_id = b.indicator_id
JOIN published_indicators p ON p.unit_type = 'kommun' AND p.unit_code = b.unit_code AND p.period = b.period
 AND p.period_type = 'rolling4q' AND p.target_group = b.target_group AND p.breakdown = 'alla'
 AND p.indicator_id = b.indicator_id
LEFT JOIN published_indicators country ON country.unit_type = 'riket' AND country.period = b.period
 AND country.period_type = 'rolling4q' AND country.target_group = b.target_group
 AND country.breakdown = 'alla' AND country.indicator_id = b.indicator_id
LEFT JOIN published_indicators county ON county.unit_type = 'lan' AND county.unit_code = '00' || m.county_code
 AND county.period = b.period AND county.period_type = 'rolling4q' AND county.target_group = b.target_group
 AND county.breakdown = 'alla' AND county.indicator_id = b.indicator_id
ORDER BY b.unit_code, b.target_group, b.indicator_id
