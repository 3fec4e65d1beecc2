-- What the store's computed tables and the published files were last built from (a signature of
-- the loaded files, the settings, the code and the output folder): a `uiv refresh` that finds the
-- same signature and no new file has nothing to do ("inget nytt").
CREATE OR REPLACE TABLE refresh_signature AS
SELECT CAST($signature AS VARCHAR) AS signature, CAST($finished_at AS TIMESTAMP) AS finished_at
