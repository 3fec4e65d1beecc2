-- The stored sums of the quarters that the periods being recomputed need.
CREATE OR REPLACE TEMP TABLE indicator_base AS
SELECT * FROM indicator_sums WHERE quarter IN (SELECT quarter FROM needed_quarters)
