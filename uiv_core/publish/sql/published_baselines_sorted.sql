SELECT * FROM published_baselines ORDER BY unit_code, target_group, indicator_id
