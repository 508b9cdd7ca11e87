"""Hear the customer and learn: CSAT, SERVQUAL and KANO surveys, QA scorecards,
root causes, early warning and dashboards."""
