{% import "_periods.sql" as periods %}
-- The inputs of the goal-setting baselines: every municipality cell of the latest rolling
-- window (all breakdowns 'alla', indicators with a polarity), its best-quartile threshold, its
-- peer group's median and its county ($higher: the polarity code), and the same cell of the window
-- a year earlier (the four quarters before; prev_*), which a small baseline is pooled with.
WITH latest AS (
    SELECT max(period) AS period FROM indicators WHERE period_type = 'rolling4q'
), cells AS (
    SELECT i.unit_code, i.target_group, i.indicator_id, i.period, i.value, i.ci95_low, i.ci95_high,
           i.numerator AS x, i.denominator AS n, i.suppressed, i.sd, c.polarity, c.unit, m.county_code,
           q.numerator AS prev_x, q.denominator AS prev_n, q.sd AS prev_sd
    FROM indicators i
    JOIN latest ON latest.period = i.period
    JOIN indicator_catalogue c ON c.indicator_id = i.indicator_id
    JOIN municipality_reference m ON m.municipality_code = i.unit_code
    LEFT JOIN indicators q ON q.unit_type = 'kommun' AND q.unit_code = i.unit_code AND q.period_type = 'rolling4q'
         AND q.period = {{ periods.year_before('i.period') }}
         AND q.target_group = i.target_group AND q.breakdown = 'alla' AND q.breakdown_value = i.breakdown_value
         AND q.indicator_id = i.indicator_id
    WHERE i.unit_type = 'kommun' AND i.period_type = 'rolling4q' AND i.breakdown = 'alla'
      AND c.polarity IS NOT NULL
), published AS (
    SELECT * FROM indicators
    WHERE period_type = 'rolling4q' AND breakdown = 'alla' AND NOT suppressed
      AND period = (SELECT period FROM latest)
), thresholds AS (
    SELECT p.target_group, p.indicator_id,
           CASE WHEN any_value(c.polarity) = $higher THEN min(p.value) ELSE max(p.value) END AS threshold
    FROM published p
    JOIN comparisons k USING (period, period_type, unit_code, unit_type, target_group, breakdown,
                              breakdown_value, indicator_id)
    JOIN indicator_catalogue c USING (indicator_id)
    WHERE p.unit_type = 'kommun' AND k.benchmark_unit_type = 'riket' AND k.quartile = 1
    GROUP BY p.target_group, p.indicator_id
), peer_medians AS (
    SELECT g.peer_group, p.target_group, p.indicator_id, median(p.value) AS peer_median
    FROM published p JOIN peer_groups g ON g.municipality_code = p.unit_code
    WHERE p.unit_type = 'kommun'
    GROUP BY ALL
)
SELECT cells.*, country.value AS country_value, county.value AS county_value,
       g.peer_group, pm.peer_median, t.threshold AS best_quartile_threshold
FROM cells
LEFT JOIN published country ON country.unit_type = 'riket' AND country.target_group = cells.target_group
     AND country.indicator_id = cells.indicator_id
LEFT JOIN published county ON county.unit_type = 'lan' AND county.unit_code = '00' || cells.county_code
     AND county.target_group = cells.target_group AND county.indicator_id = cells.indicator_id
LEFT JOIN peer_groups g ON g.municipality_code = cells.unit_code
LEFT JOIN peer_medians pm ON pm.peer_group = g.peer_group AND pm.target_group = cells.target_group
     AND pm.indicator_id = cells.indicator_id
LEFT JOIN thresholds t ON t.target_group = cells.target_group AND t.indicator_id = cells.indicator_id
ORDER BY cells.unit_code, cells.target_group, cells.indicator_id
