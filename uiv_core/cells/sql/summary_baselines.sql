-- For the Dagster materialization: baselines with a detectable change (not hidden, and some change
-- within the scale is detectable at their n).
SELECT count(min_detectable_change) FROM baselines
