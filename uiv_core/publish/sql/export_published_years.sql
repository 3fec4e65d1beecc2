-- The calendar years that are published (complete years only: see published_periods.sql), in order.
SELECT DISTINCT period FROM published_indicators WHERE period_type = 'year' ORDER BY period
