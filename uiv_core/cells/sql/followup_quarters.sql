-- The quarters that hold stored follow-ups.
SELECT DISTINCT quarter FROM followups ORDER BY quarter
