"""Times as people read them: in the reader's (or the contact's) time zone, named
when it is not the reader's own.

Records keep instants as aware datetimes or ISO strings; these helpers turn them
into text only when a page, a notice or an e-mail is rendered, so a promise made
for 17:00 Beijing time reads 17:00 for everyone in Beijing, whatever zone the
server's clock runs in.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Names people use for the zones a Chinese service desk meets most.
_ZONE_LABELS = {
    "Asia/Shanghai": _("Beijing time"),
    "Asia/Chongqing": _("Beijing time"),
    "Asia/Hong_Kong": _("Hong Kong time"),
    "Asia/Taipei": _("Taipei time"),
    "Asia/Tokyo": _("Tokyo time"),
    "Asia/Singapore": _("Singapore time"),
    "Europe/London": _("London time"),
    "Europe/Berlin": _("Berlin time"),
    "America/New_York": _("New York time"),
    "America/Los_Angeles": _("Los Angeles time"),
    "UTC": _("UTC"),
}

DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def default_zone() -> ZoneInfo:
    """The desk's own zone (``TIME_ZONE``, Asia/Shanghai)."""
    return _zone(str(settings.TIME_ZONE)) or ZoneInfo("Asia/Shanghai")


def _zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_of(who: object | None) -> ZoneInfo:
    """The saved time zone of a user or contact (a ``time_zone`` field), else their
    team's, else the desk's."""
    found = _zone(str(getattr(who, "time_zone", "") or ""))
    if found is None and _team_has_zone(who):
        found = _zone(str(getattr(getattr(who, "team", None), "time_zone", "") or ""))
    return found or default_zone()


def _team_has_zone(who: object | None) -> bool:
    # Only follow the team relation when teams keep a zone: no query otherwise.
    meta = getattr(who, "_meta", None)
    if meta is None:
        return False
    try:
        team = meta.get_field("team")
    except FieldDoesNotExist:
        return False
    related = getattr(team, "related_model", None)
    return related is not None and any(
        field.name == "time_zone" for field in related._meta.get_fields()
    )


def zone_label(zone: tzinfo) -> str:
    """The zone's name in the active language, e.g. 北京时间 / Beijing time."""
    key = str(getattr(zone, "key", zone))
    label = _ZONE_LABELS.get(key)
    return str(label) if label is not None else key


def parse_instant(value: object) -> datetime | None:
    """An aware datetime from a datetime or an ISO string with an offset; else None
    (older records kept preformatted text, which is shown as it is)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else None
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else None


def format_instant(
    value: datetime, *, zone: tzinfo | None = None, viewer_zone: tzinfo | None = None
) -> str:
    """``value`` as "YYYY-MM-DD HH:MM" in ``zone`` (the active time zone when not
    given), followed by the zone's name when it is not ``viewer_zone``."""
    shown_in = zone or timezone.get_current_timezone()
    text = value.astimezone(shown_in).strftime(DATETIME_FORMAT)
    if viewer_zone is not None and getattr(shown_in, "key", None) != getattr(
        viewer_zone, "key", None
    ):
        return f"{text} ({zone_label(shown_in)})"
    return text


def display_value(value: object) -> str:
    """A stored value for the active reader: ISO instants in the active time zone,
    ISO dates as they are, anything else as text."""
    instant = parse_instant(value)
    if instant is not None:
        return format_instant(instant)
    return str(value)


class ContactTime:
    """An instant as a customer reads it: in the contact's zone, always named
    ("2026-12-07 17:00 (北京时间)"), rendered in the language active when it is
    turned into text (the contact's, inside ``translation.override``)."""

    def __init__(self, value: datetime, zone: ZoneInfo) -> None:
        self.value = value
        self.zone = zone

    def __str__(self) -> str:
        text = self.value.astimezone(self.zone).strftime(DATETIME_FORMAT)
        return f"{text} ({zone_label(self.zone)})"


def contact_time(value: datetime, contact: object | None) -> ContactTime:
    """``value`` for a text sent to ``contact`` (see :class:`ContactTime`)."""
    return ContactTime(value, zone_of(contact))


def iso(value: datetime | date) -> str:
    """The form instants and days are stored in inside event and notice data."""
    return value.isoformat()
