"""``kefu calendar``: ask the business calendar from the shell, and keep it current.

``due``      when a number of working hours after a start instant runs out;
``between``  how much working time lies between two instants;
``days``     which dates are working days in a region;
``import``   holidays and make-up working days from a CSV file (``date,kind,name``);
``export``   the same CSV on stdout.

Every answer counts the overrides an administrator imported or entered in the
admin (they win over the ``chinese_calendar`` package); a year with neither
package data nor overrides is refused with a message saying how to fix it.

Errors from :mod:`kefu.core.calendar` arrive as plain English
:class:`~kefu.core.calendar.CalendarError`; this command wraps them in a
translated :class:`~django.core.management.base.CommandError` that says what to
fix. Output lines are data for scripts (ISO 8601 instants, ``YYYY-MM-DD``
dates, fixed English weekday abbreviations and the tokens ``working``/``off``)
and so are not translated.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.core import calendar_overrides
from kefu.core.calendar import (
    BusinessCalendar,
    CalendarError,
    HolidayRegion,
    get_region,
    parse_time_zone,
    parse_weekdays,
    parse_working_hours,
)
from kefu.core.calendar_file import (
    OverrideFileError,
    Problem,
    decode,
    parse_overrides,
    write_overrides,
)
from kefu.core.errors import DomainError
from kefu.core.models import CalendarOverride

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
        if _overrides_available():
            region = calendar_overrides.holiday_region(options["region"])
        else:
            region = get_region(options["region"])
    except CalendarError as error:
        raise CommandError(_("--region: %(error)s") % {"error": error}) from None
    try:
        weekdays = parse_weekdays(options["weekdays"])
    except CalendarError as error:
        raise CommandError(_("--weekdays: %(error)s") % {"error": error}) from None
    return region, weekdays


def _overrides_available() -> bool:
    """Whether the database holds the overrides table; without it (a machine where
    ``kefu migrate`` never ran) the answers come from the package alone, said on stderr."""
    if CalendarOverride._meta.db_table in connection.introspection.table_names():
        return True
    sys.stderr.write(
        _("Note: the database is not migrated (kefu migrate), so no calendar overrides count.")
        + "\n"
    )
    return False


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
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{due,between,days,import,export}"
        )

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

        imports = actions.add_parser(
            "import",
            help=_("Import holidays and make-up working days from a CSV file."),
            description=_(
                "Import dated overrides from a CSV file with the header date,kind,name; kind is "
                "holiday (a day off) or workday (a make-up working day). UTF-8 or GB18030. A "
                "file with any bad line is refused whole, naming every bad line; importing the "
                "same file twice changes nothing. Open SLA clocks are re-timed by the clock loop."
            ),
        )
        imports.add_argument("file", help=_("The CSV file; - reads standard input."))
        imports.add_argument("--region", default="cn", help=_("Holiday region (default: cn)."))

        export = actions.add_parser(
            "export",
            help=_("Print the region's overrides as CSV (date,kind,name)."),
            description=_("Print the region-wide overrides as CSV, the format import reads."),
        )
        export.add_argument("--region", default="cn", help=_("Holiday region (default: cn)."))
        export.add_argument("--year", type=int, help=_("Only this year, e.g. 2027."))

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
            elif action == "import":
                self._import(options)
            elif action == "export":
                self._export(options)
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

    def _import(self, options: dict[str, Any]) -> None:
        path = options["file"]
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            rows = parse_overrides(decode(data))
        except OverrideFileError as error:
            lines = [_problem_text(problem) for problem in error.problems]
            raise CommandError(
                _("%(path)s was not imported, nothing was written:") % {"path": path}
                + "\n"
                + "\n".join(lines)
            ) from None
        try:
            summary = calendar_overrides.calendar_overrides_import(
                actor=None, rows=rows, region=options["region"], at=timezone.now()
            )
        except DomainError as error:
            raise CommandError(_("--region: %(error)s") % {"error": error.text()}) from None
        self.stdout.write(
            _("Imported %(path)s: %(created)s added, %(updated)s changed, %(unchanged)s unchanged.")
            % {
                "path": path,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )

    def _export(self, options: dict[str, Any]) -> None:
        rows = calendar_overrides.overrides_export(region=options["region"], year=options["year"])
        self.stdout.write(write_overrides(rows), ending="")


def _problem_text(problem: Problem) -> str:
    """One bad line of an import, said so that the operator can fix it."""
    params = {"line": problem.line, "value": problem.value, "first": problem.first_line}
    texts = {
        "encoding": _("the file is neither UTF-8 nor GB18030; save it as UTF-8"),
        "empty": _("line 1: the file is empty; the first line must be date,kind,name"),
        "header": _("line 1: the header is %(value)r; it must be date,kind,name"),
        "columns": _("line %(line)s: %(value)r should have 2 or 3 cells: date,kind,name"),
        "date": _("line %(line)s: %(value)r is not a date such as 2027-02-10"),
        "kind": _("line %(line)s: kind %(value)r must be holiday or workday"),
        "name": _("line %(line)s: the name %(value)r is longer than 100 characters"),
        "duplicate": _("line %(line)s: %(value)s is listed twice (first on line %(first)s)"),
    }
    return "  " + texts[problem.code] % params
