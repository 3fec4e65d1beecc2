"""Publishing: what may be shown (disclosure control), and the report, charts, exports and
quality page built from the published tables only."""
