INSERT INTO followups SELECT * FROM incoming
