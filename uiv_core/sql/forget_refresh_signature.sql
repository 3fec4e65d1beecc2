-- A computed table is being rebuilt (a run from the UI, the sensor or the schedule, or the quarters
-- run of `uiv refresh`, which records a new signature when it completes): until then no refresh may
-- take the store and the published files as up to date.
DROP TABLE IF EXISTS refresh_signature
