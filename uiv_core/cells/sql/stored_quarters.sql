SELECT DISTINCT period FROM indicators WHERE period_type = 'quarter'
