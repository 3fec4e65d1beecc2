-- The figures the methods page (metod.html) quotes, from the published tables of the latest
-- rolling window ($period): the country's follow-ups ($followups: an indicator whose denominator
-- is every follow-up) and its value of the example indicator ($indicator), how many
-- municipalities have a published value, the best-quartile threshold, a small and a large
-- municipality's minimum detectable change, and how many cells are hidden and why.
WITH country AS (
    SELECT max(denominator) FILTER (WHERE indicator_id = $followups) AS followups,
           max(value) FILTER (WHERE indicator_id = $indicator) AS value,
           max(ci95_low) FILTER (WHERE indicator_id = $indicator) AS low,
           max(ci95_high) FILTER (WHERE indicator_id = $indicator) AS high
    FROM published_indicators
    WHERE period_type = 'rolling4q' AND period = $period AND unit_type = 'riket' AND target_group = 'alla'
      AND breakdown = 'alla'
), municipal AS (
    SELECT count(*) AS municipalities, count(value) AS with_value
    FROM published_indicators
    WHERE period_type = 'rolling4q' AND period = $period AND unit_type = 'kommun' AND target_group = 'alla'
      AND breakdown = 'alla' AND indicator_id = $indicator
), goals AS (
    SELECT * FROM published_baselines
    WHERE period = $period AND target_group = 'alla' AND indicator_id = $indicator
      AND min_detectable_change IS NOT NULL
), small AS (
    SELECT baseline_n AS n, min_detectable_change AS change FROM goals ORDER BY baseline_n, unit_code LIMIT 1
), large AS (
    SELECT baseline_n AS n, min_detectable_change AS change FROM goals ORDER BY baseline_n DESC, unit_code LIMIT 1
), hidden AS (
    SELECT count(*) FILTER (WHERE suppression = 'primär') AS primary_cells,
           count(*) FILTER (WHERE suppression = 'sekundär') AS secondary_cells, count(*) AS cells
    FROM published_indicators WHERE period_type = 'rolling4q' AND period = $period
)
SELECT c.followups, c.value, c.low, c.high, m.municipalities, m.with_value,
       (SELECT max(best_quartile_threshold) FROM goals) AS best_quartile,
       s.n AS small_n, s.change AS small_change, l.n AS large_n, l.change AS large_change,
       h.primary_cells, h.secondary_cells, h.cells
FROM country c, municipal m, hidden h
LEFT JOIN small s ON TRUE LEFT JOIN large l ON TRUE
