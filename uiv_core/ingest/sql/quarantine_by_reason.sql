-- Rows in quarantine now, by reason (a row with two reasons counts under both).
SELECT reason, count(*) AS rows FROM (SELECT unnest(reason_codes) AS reason FROM quarantine)
GROUP BY reason ORDER BY rows DESC, reason
