-- The signature the last complete refresh recorded (see create_refresh_signature.sql).
SELECT signature FROM refresh_signature
