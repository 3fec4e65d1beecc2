-- The peer groups of one municipality ($unit).
SELECT peer_group FROM peer_groups WHERE municipality_code = $unit
