-- The follow-ups' fingerprint of every quarter, for a table just computed in full.
CREATE OR REPLACE TABLE {{ state | ident }} AS
{% include "_fingerprint.sql" %}
