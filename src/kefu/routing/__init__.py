"""Routing by skill, load and shift."""
