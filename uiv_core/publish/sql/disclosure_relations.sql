-- Every additive relation between audited keys, as (relation_id, parent, child): the children of
-- one parent and kind add up to the parent, for every count (numerators and denominators alike);
-- relation_id numbers the (kind, parent) pairs 0, 1, ... by their smallest member key (then kind
-- and parent): the attacker works its relations in this order, and relations over nearby keys
-- worked together read nearby memory (at 1 M rows its first pass took 6.3 s instead of 8.4 s
-- in the order of kind and parent).
-- A child missing here is zero. Every relation across units, target groups and breakdowns holds
-- for the windows and for the latent quarters alike; a window is the sum of its four quarters. Parameter: $substance_group (the target group that records a
-- main substance).
WITH k AS (SELECT * FROM disclosure_keys), relations AS (
SELECT 'breakdown:' || c.breakdown AS kind, p.key_id AS parent, c.key_id AS child
FROM k c JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = c.unit_type AND p.unit_code = c.unit_code
 AND p.target_group = c.target_group AND p.breakdown = 'alla'
WHERE c.breakdown IN ('sex', 'age_group', 'intervention')
UNION ALL
-- main substance is recorded for one target group only, also when broken down under 'alla'
SELECT 'main_substance:' || c.target_group, p.key_id, c.key_id
FROM k c JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = c.unit_type AND p.unit_code = c.unit_code
 AND p.target_group = $substance_group AND p.breakdown = 'alla'
WHERE c.breakdown = 'main_substance'
UNION ALL
SELECT 'target_group', p.key_id, c.key_id
FROM k c JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = c.unit_type AND p.unit_code = c.unit_code
 AND p.breakdown = c.breakdown AND p.breakdown_value = c.breakdown_value AND p.target_group = 'alla'
WHERE c.target_group <> 'alla'
UNION ALL
SELECT 'lan', p.key_id, c.key_id
FROM k c
JOIN municipality_reference m ON m.municipality_code = c.unit_code
JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = 'lan' AND p.unit_code = '00' || m.county_code
 AND p.target_group = c.target_group AND p.breakdown = c.breakdown AND p.breakdown_value = c.breakdown_value
WHERE c.unit_type = 'kommun'
UNION ALL
SELECT 'riket', p.key_id, c.key_id
FROM k c JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = 'riket'
 AND p.target_group = c.target_group AND p.breakdown = c.breakdown AND p.breakdown_value = c.breakdown_value
WHERE c.unit_type = 'lan'
UNION ALL
SELECT 'grupp', p.key_id, c.key_id
FROM k c
JOIN peer_groups g ON g.municipality_code = c.unit_code
JOIN k p
  ON p.latent = c.latent AND p.period = c.period AND p.unit_type = 'grupp' AND p.unit_code = g.peer_group
 AND p.target_group = c.target_group AND p.breakdown = c.breakdown AND p.breakdown_value = c.breakdown_value
WHERE c.unit_type = 'kommun'
UNION ALL
SELECT 'window', p.key_id, c.key_id
FROM k c JOIN k p
  ON p.column_id = c.column_id AND NOT p.latent AND c.latent AND c."offset" BETWEEN p."offset" - 3 AND p."offset"
), placed AS (  -- a relation's place: its smallest member key
SELECT *, least(parent, min(child) OVER (PARTITION BY kind, parent)) AS first_member
FROM relations
)
SELECT (dense_rank() OVER (ORDER BY first_member, kind, parent) - 1)::BIGINT AS relation_id, parent::BIGINT AS parent,
       child::BIGINT AS child
FROM placed
ORDER BY relation_id, child
