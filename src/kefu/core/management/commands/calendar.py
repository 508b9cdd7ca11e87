"""``kefu calendar``: ask the business calendar from the shell.

``due``      when a number of working hours after a start instant runs out;
``between``  how much working time lies between two instants;
``days``     which dates are working days in a region.

Errors from :mod:`kefu.core.calendar` arrive as plain English
:class:`~kefu.core.calendar.CalendarError`; this command wraps them in a
translated :class:`~django.core.management.base.CommandError` that says what to
fix. Output lines are data for scripts (ISO 8601 instants, ``YYYY-MM-DD``
dates, fixed English weekday abbreviations and the tokens ``working``/``off``)
and so are not translated.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.core.calendar import (
    BusinessCalendar,
    CalendarError,
    HolidayRegion,
    get_region,
    parse_time_zone,
    parse_weekdays,
    parse_working_hours,
)

_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DEFAULT_DAY = "09:00-18:00"
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
_MICROSECONDS_PER_MINUTE = Decimal(60_000_000)
_HUNDREDTH = Decimal("0.01")


def _calendar(options: dict[str, Any]) -> BusinessCalendar:
    """Build the calendar from ``--day``, ``--region``, ``--weekdays`` and ``--tz``."""
    hours = ",".join(options["day"] or [_DEFAULT_DAY])
    try:
        intervals = parse_working_hours(hours)
    except CalendarError as error:
        raise CommandError(
            _("--day: %(error)s. Give intervals like 09:00-18:00 or 09:00-12:00,13:00-18:00.")
            % {"error": error}
        ) from None
    region, weekdays = _region_and_weekdays(options)
    try:
        tz = parse_time_zone(options["tz"])
    except CalendarError as error:
        raise CommandError(_("--tz: %(error)s") % {"error": error}) from None
    return BusinessCalendar(hours=intervals, region=region, weekdays=weekdays, tz=tz)


def _region_and_weekdays(options: dict[str, Any]) -> tuple[HolidayRegion, frozenset[int]]:
    try:
        region = get_region(options["region"])
    except CalendarError as error:
        raise CommandError(_("--region: %(error)s") % {"error": error}) from None
    try:
        weekdays = parse_weekdays(options["weekdays"])
    except CalendarError as error:
        raise CommandError(_("--weekdays: %(error)s") % {"error": error}) from None
    return region, weekdays


def _instant(text: str, *, option: str, tz: ZoneInfo) -> datetime:
    """Parse an ISO 8601 instant; a naive one is read in ``tz``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: %(value)r is not an ISO 8601 instant such as 2026-09-30T16:00")
            % {"option": option, "value": text}
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


def _date(text: str, *, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: %(value)r is not a date such as 2026-10-01")
            % {"option": option, "value": text}
        ) from None


def _amount(text: str, *, option: str, unit: Decimal) -> timedelta:
    """A non-negative decimal number of hours or minutes as a timedelta (to the microsecond)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise CommandError(
            _("%(option)s: %(value)r is not a non-negative number such as 16 or 1.5")
            % {"option": option, "value": text}
        )
    try:
        return timedelta(microseconds=int((value * unit).to_integral_value(ROUND_HALF_UP)))
    except OverflowError:
        raise CommandError(
            _("%(option)s: %(value)r is too large") % {"option": option, "value": text}
        ) from None


def _hours(amount: timedelta) -> str:
    """Hours with exactly two decimals, rounded half up: ``16.00``, ``7.50``."""
    micro = Decimal(amount // timedelta(microseconds=1))
    return str((micro / _MICROSECONDS_PER_HOUR).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


class Command(BaseCommand):
    help = gettext_noop(
        "Business calendar: working-time deadlines (due), working time between two "
        "instants (between) and working days (days), honouring statutory holidays and "
        "make-up working days of the region."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        actions = parser.add_subparsers(dest="action", required=True, metavar="{due,between,days}")

        due = actions.add_parser(
            "due",
            help=_("Print the instant at which the working time runs out (ISO 8601)."),
            description=_(
                "Print the instant, in ISO 8601 in the calendar time zone, at which the given "
                "working time after --start runs out. When it runs out exactly at the end of a "
                "working interval, that end is printed (e.g. 18:00), not the next morning."
            ),
        )
        due.add_argument(
            "--start",
            required=True,
            help=_("Start instant, ISO 8601; without an offset it is read in --tz."),
        )
        amount = due.add_mutually_exclusive_group(required=True)
        amount.add_argument(
            "--working-hours", help=_("Working time to add, in hours; decimals allowed (1.5).")
        )
        amount.add_argument(
            "--working-minutes", help=_("Working time to add, in minutes; decimals allowed.")
        )
        self._calendar_arguments(due)

        between = actions.add_parser(
            "between",
            help=_("Print the working time between two instants, in hours."),
            description=_(
                "Print the working time between --start and --end as decimal hours with "
                "exactly two decimals, rounded half up (16.00, 7.50). 0.00 when --end is not "
                "after --start."
            ),
        )
        between.add_argument(
            "--start", required=True, help=_("ISO 8601; without an offset it is read in --tz.")
        )
        between.add_argument(
            "--end", required=True, help=_("ISO 8601; without an offset it is read in --tz.")
        )
        self._calendar_arguments(between)

        days = actions.add_parser(
            "days",
            help=_("List dates with 'working' or 'off'."),
            description=_(
                "Print one line per date from --from to --to inclusive: the date, the English "
                "weekday abbreviation and 'working' or 'off', e.g. '2026-10-10 Sat working'."
            ),
        )
        days.add_argument("--from", dest="date_from", required=True, help=_("First date, ISO."))
        days.add_argument("--to", dest="date_to", required=True, help=_("Last date, ISO."))
        days.add_argument("--region", default="cn", help=_("Holiday region (default: cn)."))
        days.add_argument(
            "--weekdays",
            default="1,2,3,4,5",
            help=_("ISO weekdays normally worked, Monday = 1 (default: 1,2,3,4,5)."),
        )

    @staticmethod
    def _calendar_arguments(parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            action="append",
            help=_(
                "Daily working hours, e.g. 09:00-18:00 or 09:00-12:00,13:00-18:00; may be "
                "repeated (default: 09:00-18:00)."
            ),
        )
        parser.add_argument("--region", default="cn", help=_("Holiday region (default: cn)."))
        parser.add_argument(
            "--weekdays",
            default="1,2,3,4,5",
            help=_("ISO weekdays normally worked, Monday = 1 (default: 1,2,3,4,5)."),
        )
        parser.add_argument(
            "--tz",
            default="Asia/Shanghai",
            help=_("IANA time zone of the working hours and the output (default: Asia/Shanghai)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "due":
                self._due(options)
            elif action == "between":
                self._between(options)
            else:
                self._days(options)
        except CalendarError as error:
            raise CommandError(
                _("The business calendar cannot answer: %(error)s") % {"error": error}
            ) from None

    def _due(self, options: dict[str, Any]) -> None:
        calendar = _calendar(options)
        start = _instant(options["start"], option="--start", tz=calendar.tz)
        if options["working_hours"] is not None:
            amount = _amount(
                options["working_hours"], option="--working-hours", unit=_MICROSECONDS_PER_HOUR
            )
        else:
            amount = _amount(
                options["working_minutes"],
                option="--working-minutes",
                unit=_MICROSECONDS_PER_MINUTE,
            )
        self.stdout.write(calendar.add_working_time(start, amount).isoformat())

    def _between(self, options: dict[str, Any]) -> None:
        calendar = _calendar(options)
        start = _instant(options["start"], option="--start", tz=calendar.tz)
        end = _instant(options["end"], option="--end", tz=calendar.tz)
        self.stdout.write(_hours(calendar.working_time_between(start, end)))

    def _days(self, options: dict[str, Any]) -> None:
        first = _date(options["date_from"], option="--from")
        last = _date(options["date_to"], option="--to")
        if last < first:
            raise CommandError(_("--to must not be before --from"))
        region, weekdays = _region_and_weekdays(options)
        lines = []  # all or nothing: a year without data must not leave half a listing
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            state = "working" if region.is_working_day(day, weekdays=weekdays) else "off"
            lines.append(f"{day.isoformat()} {_WEEKDAY_ABBR[day.weekday()]} {state}")
        self.stdout.write("\n".join(lines))
