"""When a message to a contact may go, given their quiet hours. Pure: no Django.

A contact's quiet hours (``22:00-08:00``, read in the contact's own time zone)
hold back what nobody is waiting for at night: the clock's incident updates,
reminders and surveys. What is urgent (an incident's first notice) and what a
person sends by hand goes at once, whatever the hour: a person chose to send
it now, and the customer may be waiting for it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo


class Urgency(enum.Enum):
    """How a message weighs against the contact's quiet hours."""

    # An incident's first notice: the customer must hear of a stoppage at once.
    URGENT = "urgent"
    # Written or sent by a person (a reply, an update sent from the incident page).
    BY_HAND = "by_hand"
    # Sent by the clock with nobody waiting on it: rhythm updates, reminders, surveys.
    ROUTINE = "routine"


@dataclass(frozen=True)
class QuietHours:
    """A daily window in ``zone``; ``start > end`` spans midnight (22:00-08:00)."""

    start: time
    end: time
    zone: tzinfo


def quiet_window_end(now: datetime, quiet: QuietHours) -> datetime | None:
    """The instant the quiet window ``now`` falls in ends, or None outside it.

    ``now`` must be aware. The window includes its start and excludes its end
    (at 08:00 sharp a 22:00-08:00 window is over). An empty window (start equal
    to end) is never quiet.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    local = now.astimezone(quiet.zone)
    clock = local.time().replace(tzinfo=None)
    today = local.date()
    start, end = quiet.start, quiet.end
    if start == end:
        return None
    if start < end:
        inside = start <= clock < end
        end_day = today
    elif clock >= start:
        inside, end_day = True, today + timedelta(days=1)
    else:
        inside, end_day = clock < end, today
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=quiet.zone)


def release_at(now: datetime, urgency: Urgency, quiet: QuietHours | None) -> datetime | None:
    """When a message of ``urgency`` to a contact with ``quiet`` hours may go: None for
    "now", else the end of the quiet window ``now`` falls in.

    Only ``ROUTINE`` messages are held; a contact without quiet hours (``quiet``
    None) is never held.
    """
    if urgency is not Urgency.ROUTINE or quiet is None:
        return None
    return quiet_window_end(now, quiet)
