"""Stoppages and outages: notices to every affected contact, update rhythm, resumption, review."""
