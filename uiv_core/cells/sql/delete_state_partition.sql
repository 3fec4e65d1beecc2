-- The quarters just recomputed (TEMP state_quarters); insert_state_partition.sql follows.
DELETE FROM {{ state | ident }} WHERE quarter IN (SELECT quarter FROM state_quarters)
