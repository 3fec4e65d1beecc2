-- A run over some periods of a table built period by period (period_state.py): their rows go,
-- before their new rows are inserted. Generated: the table's name. Values: $periods, a list of
-- 'period period_type'.
DELETE FROM {{ table | ident }} WHERE {% include "_in_periods.sql" %}
