"""Meeting invitations as iCalendar (METHOD:REQUEST), for incidents and cases alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import icalendar


def invitation_ics(
    *,
    uid: str,
    stamp: datetime,
    starts_at: datetime,
    minutes: int,
    summary: str,
    location: str,
    description: str,
    organizer_email: str,
    parties: Iterable[Mapping[str, str]],
    url: str = "",
) -> bytes:
    """One event inviting every party (``{"name", "email"}``) as a required participant."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kefu//meetings//")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("location", location)
    if url:
        event.add("url", url)
    event.add("description", description)
    event.add("organizer", icalendar.vCalAddress(f"mailto:{organizer_email}"))
    for party in parties:
        attendee = icalendar.vCalAddress(f"mailto:{party['email']}")
        attendee.params["cn"] = icalendar.vText(party.get("name", ""))
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
