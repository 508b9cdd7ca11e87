"""Triggers, automations, macros, SLA warnings and outbound webhooks."""
