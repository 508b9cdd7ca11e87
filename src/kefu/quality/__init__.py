"""Hear the customer and learn: surveys (CSAT, SERVQUAL, KANO), QA scorecards, root causes, early warning, dashboards."""
