-- Each municipality's peer group (the first by name, should there be several).
SELECT municipality_code, min(peer_group) FROM peer_groups GROUP BY 1
