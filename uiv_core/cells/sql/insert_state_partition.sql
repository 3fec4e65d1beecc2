INSERT INTO {{ state | ident }}
SELECT * FROM ({% include "_fingerprint.sql" %}) WHERE quarter IN (SELECT quarter FROM state_quarters)
