-- The periods the adjusted cells are worked out for: those of `indicators` of the types $types.
SELECT DISTINCT period_type, period FROM indicator_counts
WHERE list_contains($types, period_type)
ORDER BY period_type, period
