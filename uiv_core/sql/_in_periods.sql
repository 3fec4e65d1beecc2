{#- The rows of the periods $periods (a list of 'period period_type'), as an SQL condition on the
    columns period and period_type. The condition on the period alone comes first: DuckDB checks it
    against the row groups' ranges and skips the other periods (on the concatenation alone it read
    every row: 6 M comparisons in 0.10 s instead of 0.01 s). -#}
list_contains(list_transform($periods, lambda p: split_part(p, ' ', 1)), period) AND list_contains($periods, period || ' ' || period_type)
