-- The peer grouping in force (from the registered frame _peer_frame; empty without a file).
CREATE OR REPLACE TABLE peer_groups AS
SELECT CAST(municipality_code AS VARCHAR) AS municipality_code, CAST(peer_group AS VARCHAR) AS peer_group
FROM _peer_frame
