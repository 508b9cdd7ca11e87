"""Workforce planning: history, forecast, Erlang staffing, schedules."""
