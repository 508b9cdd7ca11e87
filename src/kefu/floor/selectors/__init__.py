"""Reads of the floor and people apps; pages and the API call the same functions."""

from kefu.floor.selectors.floor import (
    access_hand,
    access_leave,
    hands_open_for,
    hands_recent_for,
    leave_list_for,
    special_breaks_for,
    states_for_agent,
    suggestions_open_for,
    team_states_for,
)
from kefu.floor.selectors.intraday import (
    AdherenceRow,
    IntradayRow,
    IntradayView,
    MealDelay,
    adherence_for,
    intraday_view,
    meal_alerts_for,
    meal_delays_for,
)

__all__ = [
    "AdherenceRow",
    "IntradayRow",
    "IntradayView",
    "MealDelay",
    "access_hand",
    "access_leave",
    "adherence_for",
    "hands_open_for",
    "hands_recent_for",
    "intraday_view",
    "leave_list_for",
    "meal_alerts_for",
    "meal_delays_for",
    "special_breaks_for",
    "states_for_agent",
    "suggestions_open_for",
    "team_states_for",
]
