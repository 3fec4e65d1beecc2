-- The cells of the published periods with what the audit hid: `primär` (denominator under the
-- minimum n), `sekundär` (hidden so that no other cell can be worked out from what is shown) or
-- `dold` (hidden, either reason: where the label itself, "under 10" or "at least 10", would let
-- a small cell be worked out from the other labels).
-- Every indicator gets a row at every published key (period × unit × target group × breakdown
-- value with any follow-up): a missing row would tell that a count is zero, so a cell without
-- follow-ups in its denominator is shown as `..` (primär) like any other small cell.
-- A complete year takes the suppression of the rolling window with the same follow-ups.
CREATE OR REPLACE TEMP TABLE publication_cells AS
WITH published_keys AS (
    SELECT DISTINCT i.period_type, i.period, pp.audit_period, i.unit_code, i.unit_type, i.target_group,
           i.breakdown, i.breakdown_value
    FROM indicator_counts i JOIN published_periods pp USING (period_type, period)
), grid AS (
    SELECT k.*, c.indicator_id FROM published_keys k CROSS JOIN indicator_catalogue c
)
SELECT g.period, g.period_type, g.unit_code, g.unit_type, g.target_group, g.breakdown, g.breakdown_value,
       g.indicator_id, coalesce(i.numerator, 0) AS numerator, coalesce(i.denominator, 0) AS denominator,
       i.sum_squares, coalesce(i.suppressed, TRUE) AS suppressed,
       coalesce(i.suppressed, TRUE) OR h.key_id IS NOT NULL AS hidden,
       CASE WHEN h.neutral THEN 'dold'
            WHEN coalesce(i.suppressed, TRUE) THEN 'primär' WHEN h.key_id IS NOT NULL THEN 'sekundär' END AS suppression
FROM grid g
LEFT JOIN indicator_counts i
  ON i.period_type = g.period_type AND i.period = g.period AND i.unit_code = g.unit_code
 AND i.unit_type = g.unit_type AND i.target_group = g.target_group AND i.breakdown = g.breakdown
 AND i.breakdown_value = g.breakdown_value AND i.indicator_id = g.indicator_id
LEFT JOIN disclosure_keys k
  ON NOT k.latent AND k.period = g.audit_period AND k.unit_type = g.unit_type AND k.unit_code = g.unit_code
 AND k.target_group = g.target_group AND k.breakdown = g.breakdown AND k.breakdown_value = g.breakdown_value
LEFT JOIN disclosure_hidden h ON h.key_id = k.key_id AND h.indicator_id = g.indicator_id
