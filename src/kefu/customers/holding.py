"""A contact's quiet hours read for sending: the pure rule (``quiet_hours``) applied
to a stored contact in their own time zone."""

from __future__ import annotations

from datetime import datetime

from kefu.core.timefmt import zone_of
from kefu.customers.models import Contact
from kefu.customers.quiet_hours import QuietHours, Urgency, release_at


def contact_quiet_hours(contact: Contact) -> QuietHours | None:
    """The contact's quiet hours in their time zone (a ``time_zone`` field where the
    contact has one, else the desk's, Asia/Shanghai); None when they have none."""
    start, end = contact.quiet_hours_start, contact.quiet_hours_end
    if start is None or end is None:
        return None
    return QuietHours(start=start, end=end, zone=zone_of(contact))


def contact_release_at(contact: Contact, *, now: datetime, urgency: Urgency) -> datetime | None:
    """When a message of ``urgency`` to ``contact`` may go: None for now, else the end
    of the quiet hours ``now`` falls in (``quiet_hours.release_at``)."""
    return release_at(now, urgency, contact_quiet_hours(contact))
