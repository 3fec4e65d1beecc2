SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q'
