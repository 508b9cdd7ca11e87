"""Words for the error codes of the pure cores (Erlang, forecast, scheduler).

The cores raise ``code`` + ``params`` and know nothing of languages; pages, the
API and the commands turn them into a sentence here, in the active language.
An unknown code still gets a sentence that names it, so a new code in a core
never turns into a crash or a blank message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # Erlang
    "not_a_number": _("%(field)s must be a number."),
    "calls_negative": _("The number of contacts cannot be negative (got %(calls)s)."),
    "calls_missing": _("The number of contacts is missing."),
    "interval_not_positive": _("The interval length must be more than 0 seconds."),
    "aht_not_positive": _(
        "The average handle time must be more than 0 seconds (got %(aht_s)s); "
        "check the AHT column or field."
    ),
    "answer_time_negative": _("The answer time cannot be negative."),
    "shrinkage_out_of_range": _(
        "Shrinkage must be at least 0 and below 1 (got %(shrinkage)s); 30 %% is 0.3."
    ),
    "patience_not_positive": _("The mean patience must be more than 0 seconds."),
    "traffic_negative": _("The offered traffic cannot be negative."),
    "agents_negative": _("The number of agents must be a whole number of 0 or more."),
    "sl_out_of_range": _(
        "The service-level target must be above 0 and below 1 (got %(service_level)s); "
        "80 %% is 0.8. A target of 100 %% can never be met."
    ),
    "occupancy_out_of_range": _("The maximum occupancy must be above 0 and at most 1."),
    "answer_rate_out_of_range": _("The answer-rate target must be above 0 and below 1."),
    "asa_not_positive": _("The average-speed-of-answer target must be more than 0 seconds."),
    "target_unreachable": _("No number of agents can meet these targets."),
    "unknown_target": _("Unknown staffing target."),
    "traffic_too_large": _(
        "The offered traffic is %(traffic)s Erlangs (contacts x handle time / interval); "
        "at most %(max_traffic)s Erlangs can be staffed in one interval. Check the numbers "
        "or split the queue."
    ),
    "agents_too_many": _(
        "At most %(max_agents)s agents can be evaluated at once (got %(agents)s)."
    ),
    "patience_load_too_large": _(
        "Contacts per second x mean patience is %(load)s; Erlang A allows at most "
        "%(max_load)s. With a patience this long hardly anyone hangs up: leave the patience "
        "out (Erlang C)."
    ),
    "work_too_large": _(
        "Staffing these %(rows)s intervals would take about %(seconds)s s of computing; "
        "at most %(max_seconds)s s is allowed. Forecast fewer days, or leave the patience "
        "out (Erlang C)."
    ),
    # Forecast
    "no_history": _(
        "There is no history to forecast from. Import the queue's past intervals first."
    ),
    "history_empty": _(
        "There is no history to forecast from. Import the queue's past intervals first."
    ),
    "calendar_year_unsupported": _(
        "The holiday calendar does not know that year yet; forecast with region none or "
        "upgrade the calendar."
    ),
    "history_too_short": _(
        "The history is too short to forecast from; import at least two weeks of intervals."
    ),
    "days_out_of_range": _("The number of days to forecast must be between 1 and 366."),
    "days_not_positive": _("The number of days to forecast must be at least 1."),
    "unknown_region": _("Unknown holiday region; use cn or none."),
    "calendar_year_unknown": _(
        "The holiday calendar does not know that year yet; forecast with region none or "
        "upgrade the calendar."
    ),
    "naive_datetime": _("An interval start has no time zone; give instants with an offset."),
    "interval_irregular": _(
        "The history's intervals are not of one length (15, 30 or 60 minutes)."
    ),
    "interval_misaligned": _("An interval start is not on the history's interval grid."),
    "start_inside_history": _(
        "The forecast must start after the last day of the history (%(last)s)."
    ),
    "offered_negative": _("Offered contacts cannot be negative."),
    "bad_row": _("A row of the file could not be read; check its date and numbers."),
    "bad_date": _("A date could not be read; use YYYY-MM-DD."),
    "start_before_history": _("The forecast must start after the history begins."),
    "no_open_days": _("The history shows no open day to forecast."),
    # Scheduling
    "no_requirements": _(
        "There is no staffing requirement for this week; run a forecast that covers it."
    ),
    "no_agents": _("There are no agents to plan; add agents to the team first."),
    "bad_interval": _("The planning interval must be 15 or 30 minutes."),
    "interval_minutes_invalid": _("The planning interval must be 15 or 30 minutes."),
    "requirements_off_grid": _(
        "A requirement does not start on the planning grid; its interval must match the rules."
    ),
    "requirement_negative": _("A requirement cannot be negative."),
    "no_shift_lengths": _("Give at least one shift length."),
    "shift_length_invalid": _(
        "A shift length must be positive, at most 12 hours and a whole number of intervals."
    ),
    "shift_length_off_grid": _("A shift length must be a whole number of intervals."),
    "activity_off_grid": _("Break and meal lengths must be whole numbers of intervals."),
    "meal_too_short": _("The meal must last at least 30 minutes."),
    "meal_window_too_long": _(
        "The meal window ends after the shortest shift; move the meal window earlier or "
        "lengthen the shifts."
    ),
    "activity_window_outside_shift": _(
        "A break or meal window lies outside the shift; it must start and end within the "
        "shift's length."
    ),
    "activity_window_too_narrow": _("A break or meal does not fit inside its own window."),
    "activities_do_not_fit": _("The breaks and meal together do not fit in the shortest shift."),
    "activities_too_long": _("The breaks and meal together do not fit in the shortest shift."),
    "no_agent_available": _(
        "No agent is available on a day with a requirement; add agents, change "
        "availability or days off."
    ),
    "shift_too_long_for_availability": _(
        "An agent's daily availability is shorter than the shortest shift; widen the "
        "availability or allow shorter shifts."
    ),
    "hours_too_low": _("An agent's weekly hours are less than one shift."),
    "max_days_invalid": _("The maximum days per week must be between 1 and 7."),
    "min_rest_invalid": _("The minimum rest between shifts must be between 0 and 24 hours."),
    "max_consecutive_invalid": _("The maximum consecutive days must be at least 1."),
    "rest_after_meal_invalid": _(
        "The rest after the meal (%(field)s) must be a whole number of minutes from 0 to %(max)s."
    ),
    "rest_after_meal_without_meal": _(
        "A rest after the meal (%(field)s) needs a meal in the rules; add the meal or set the "
        "rest to 0."
    ),
    "rest_after_meal_does_not_fit": _(
        "The meal and the %(minutes)s-minute rest after it do not fit in a %(length_hours)s-hour "
        "shift; move the meal window earlier or shorten the rest."
    ),
    "duplicate_agent": _("The same agent is listed twice."),
    "unknown_agent": _("Unknown agent."),
    "availability_invalid": _("An agent's availability must end after it starts."),
    "infeasible": _("No schedule meets every rule; loosen the contracts or the rules."),
    "no_solution": _("The solver found no schedule within the time limit; allow more time."),
    "rules_not_an_object": _("The rules must be a JSON object."),
    "rules_unknown_key": _("The rules name an unknown key."),
    "breaks_not_a_list": _("The breaks must be a list."),
    "activity_not_an_object": _("Each break and the meal must be an object."),
    "activity_minutes_invalid": _(
        "A break or meal length must be a positive whole number of minutes on the grid."
    ),
    "activity_window_invalid": _("A break or meal window must end after it starts."),
    "horizon_too_long": _("The requirements span more than four weeks; plan one week at a time."),
    "requirement_naive_time": _("A requirement has no time zone."),
    "missing_column": _("A required column is missing from the file."),
    "bad_rules": _("The rules could not be read."),
    "bad_json": _("The rules file is not valid JSON."),
    "missing_key": _("A required key is missing from the rules."),
    # The re-check of a solved schedule (scheduling.check.validate)
    "shift_unknown_agent": _("%(agent)s, shift at %(start)s: not an agent of this plan."),
    "shift_length_not_allowed": _(
        "%(agent)s, shift at %(start)s: %(minutes)s minutes is not an allowed shift length."
    ),
    "shift_on_day_off": _("%(agent)s, shift at %(start)s: on a day off."),
    "shift_outside_availability": _("%(agent)s, shift at %(start)s: outside their availability."),
    "activities_wrong": _(
        "%(agent)s, shift at %(start)s: breaks and meal are %(got)s instead of %(wanted)s."
    ),
    "activity_outside_shift": _(
        "%(agent)s, shift at %(start)s: the %(activity)s at %(at)s is outside the shift."
    ),
    "activity_short_or_outside_window": _(
        "%(agent)s, shift at %(start)s: the %(activity)s %(at)s–%(until)s is too short or "
        "outside its window."
    ),
    "activities_overlap": _(
        "%(agent)s, shift at %(start)s: the %(first)s and the %(second)s overlap."
    ),
    "rest_after_meal_missing": _(
        "%(agent)s, shift at %(start)s: the meal ends at %(meal_end)s but the %(minutes)s-minute "
        "rest after it does not start then."
    ),
    "shifts_same_day": _("%(agent)s: %(count)s shifts on %(day)s."),
    "rest_too_short": _("%(agent)s: only %(hours)s h rest before the shift at %(start)s."),
    "too_many_days_in_a_row": _("%(agent)s: more than %(days)s days in a row."),
    "week_hours_exceeded": _("%(agent)s: %(hours)s h in the 7 days from %(day)s."),
    "week_days_exceeded": _("%(agent)s: %(days)s working days in the 7 days from %(day)s."),
}

GENERIC = _("The input was refused (%(code)s).")


class _Params(dict[str, Any]):
    """Placeholders a message names but the error did not carry read as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def _value(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(item) for item in value)
    return str(value)


def explain(code: str, params: Mapping[str, Any] | None = None) -> str:
    """One sentence, in the active language, for a core's error ``code`` and ``params``.

    Parameters the sentence does not name are appended in parentheses (a row
    number, an agent, a day), so nothing the core said is lost.
    """
    values = _Params({key: _value(value) for key, value in (params or {}).items()})
    message = MESSAGES.get(code)
    if message is None:
        text = str(GENERIC) % {"code": code}
    else:
        template = str(message)
        try:
            text = template % values
        except (TypeError, ValueError):
            text = template
    named = {key for key in values if f"%({key})" in (str(message) if message else "")}
    extra = [f"{key}: {value}" for key, value in values.items() if key not in named]
    if extra:
        text = gettext("%(text)s (%(details)s)") % {"text": text, "details": "; ".join(extra)}
    return text
