SELECT DISTINCT period FROM indicators WHERE period_type = 'rolling4q'
