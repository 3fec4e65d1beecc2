"""Cells: follow-ups → indicators per unit, period, target group and breakdown, with intervals;
comparisons against benchmarks; goal-setting baselines."""
