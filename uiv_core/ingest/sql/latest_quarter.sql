SELECT max(quarter) FROM followups
