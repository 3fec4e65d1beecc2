-- The keys the disclosure audit works on, one per (period, unit, target group, breakdown value):
--   * window keys (`latent` false): every rolling window present in `indicator_counts` (the stored counts
--     behind the view `indicators`, read directly: the view's intervals cost a join) for any
--     indicator; these are the published cells (a complete year is the window ending in Q4);
--   * latent quarter keys (`latent` true): the quarters the windows add up, never published.
--     The attacker sees no quarter, but knows that a quarter of an absent (empty) window is
--     empty; a quarter gets a key when every window holding it is present, as it may then hold
--     follow-ups. Its true cells come from the stored `quarter` rows (zero when none).
-- `column_id` numbers the (unit, target group, breakdown value) columns; `offset` is the
-- quarter's position counted from the first window's first quarter (a window's offset is that
-- of its last quarter). Window keys come first.
CREATE OR REPLACE TEMP TABLE disclosure_keys AS
WITH windows AS (
    SELECT DISTINCT period, unit_type, unit_code, target_group, breakdown, breakdown_value,
           CAST(left(period, 4) AS INTEGER) * 4 + CAST(right(period, 1) AS INTEGER) - 1 AS q
    FROM indicator_counts WHERE period_type = 'rolling4q'
), span AS (
    SELECT min(q) AS first_window, max(q) AS last_window FROM windows
), quarter_numbers AS (
    SELECT unnest(range(first_window - 3, last_window + 1)) AS q FROM span
), held AS (  -- per column and quarter: how many of the windows holding it are present
    SELECT w.unit_type, w.unit_code, w.target_group, w.breakdown, w.breakdown_value, n.q, count(*) AS present
    FROM windows w JOIN quarter_numbers n ON w.q BETWEEN n.q AND n.q + 3
    GROUP BY ALL
), quarters AS (
    SELECT h.* EXCLUDE (present)
    FROM held h CROSS JOIN span s
    WHERE h.present = least(h.q + 3, s.last_window) - greatest(h.q, s.first_window) + 1
), all_keys AS (
    SELECT FALSE AS latent, period, unit_type, unit_code, target_group, breakdown, breakdown_value, q FROM windows
    UNION ALL
    SELECT TRUE, (q // 4)::VARCHAR || 'Q' || (q % 4 + 1)::VARCHAR, unit_type, unit_code, target_group, breakdown,
           breakdown_value, q
    FROM quarters
)
SELECT (row_number() OVER (ORDER BY latent, unit_type, unit_code, target_group, breakdown, breakdown_value, q) - 1)::INTEGER
           AS key_id,
       (dense_rank() OVER (ORDER BY unit_type, unit_code, target_group, breakdown, breakdown_value) - 1)::INTEGER
           AS column_id,
       latent, period, (q - (SELECT first_window FROM span) + 3)::INTEGER AS "offset",
       unit_type, unit_code, target_group, breakdown, breakdown_value
FROM all_keys
ORDER BY key_id
