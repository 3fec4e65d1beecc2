-- What every stored cell depends on besides the follow-ups (min n, method, catalogue, peer groups).
CREATE OR REPLACE TABLE indicator_settings AS SELECT CAST($signature AS VARCHAR) AS signature
