-- The baselines worked out in Python (registered frame _baselines_frame), typed and sorted.
CREATE OR REPLACE TABLE baselines AS
SELECT * REPLACE (CAST(peer_group AS VARCHAR) AS peer_group, CAST(peer_median AS DOUBLE) AS peer_median,
                  CAST(best_quartile_threshold AS DOUBLE) AS best_quartile_threshold)
FROM _baselines_frame
ORDER BY unit_code, target_group, indicator_id
