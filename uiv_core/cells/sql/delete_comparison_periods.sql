-- A run over some periods (comparisons.py): their rows go, before their new rows are inserted.
-- Values: $periods, a list of 'period period_type'.
DELETE FROM comparison_results WHERE list_contains($periods, period || ' ' || period_type)
