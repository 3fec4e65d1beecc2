SELECT DISTINCT unit_type, unit_code FROM published_indicators
