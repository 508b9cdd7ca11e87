"""Local days as aware datetime bounds (the floor's days are the centre's local days)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight of ``day``, as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def local_day(at: datetime) -> date:
    """The local calendar day of the instant ``at``."""
    return timezone.localtime(at).date()
