"""An agent's shifts as an iCalendar file: one VEVENT per shift, times in Asia/Shanghai."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kefu.workforce.models import ScheduledShift, ShiftActivity

LOCAL = ZoneInfo("Asia/Shanghai")


def _activity_line(activity: ShiftActivity) -> str:
    if activity.type == ShiftActivity.Type.MEAL:
        label = _("Meal")
    elif activity.type == ShiftActivity.Type.REST:
        label = _("Rest after the meal")
    else:
        label = _("Break")
    start = activity.start.astimezone(LOCAL)
    end = activity.end.astimezone(LOCAL)
    return f"{label} {start:%H:%M}-{end:%H:%M}"


def shifts_ics(shifts: Sequence[ScheduledShift], *, name: str, stamp: datetime) -> bytes:
    """The calendar file; breaks and the meal are listed in each shift's description."""
    calendar = Calendar()
    calendar.add("prodid", "-//kefu//workforce//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for shift in shifts:
        event = Event()
        event.add("uid", f"kefu-shift-{shift.pk}@kefu")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.start.astimezone(LOCAL))
        event.add("dtend", shift.end.astimezone(LOCAL))
        event.add("summary", _("Shift"))
        lines = [_activity_line(activity) for activity in shift.activities.all()]
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    body: bytes = calendar.to_ical()
    return body
