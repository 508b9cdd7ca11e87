"""Calendar overrides: the business calendar's dated exceptions, read and written.

Reads (``holiday_region``, ``team_calendar``, ``calendar_years_missing``,
``overrides_export``) and writes (``calendar_override_save``,
``calendar_override_delete``, ``calendar_overrides_import``) of the
:class:`~kefu.core.models.CalendarOverride` table, kept together because every
write must also drop this process's cache of the reads.

A change never re-times cases in the request: it queues one due row
(:data:`CALENDAR_CHANGED_JOB`) per region or team, holding each changed date's
state *before* the change, and the desk's clock handler moves the open SLA
clocks of the affected teams (``kefu.cases.clocks``). Changes made before the
row runs are merged into it, keeping the oldest "before" state of each date,
which is the calendar the open clocks were computed on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.calendar import (
    BusinessCalendar,
    CalendarError,
    HolidayRegion,
    OverriddenRegion,
    get_region,
    parse_working_hours,
    region_covers,
)
from kefu.core.calendar_file import OverrideRow
from kefu.core.errors import DomainError
from kefu.core.models import CalendarOverride, ScheduledJob, Team, User
from kefu.core.roles import Perm

CALENDAR_CHANGED_JOB = "calendar.changed"
#: Hours of a team-less case (and of the desk's default team).
DEFAULT_HOURS = "09:00-12:00,13:00-18:00"
#: How long one process keeps a region's overrides before reading them again.
#: Writes in this process drop the cache at once; other processes see a change
#: within this many seconds (the re-timing job reads fresh rows).
CACHE_SECONDS = 30.0
#: From this day (month, day) of a year on, a missing schedule for the next
#: year is reported (the State Council usually publishes it in November).
WARN_FROM = (11, 1)

_Key = tuple[str, int | None]
_cache: dict[_Key, tuple[float, dict[date, bool]]] = {}


class OverrideErrorCode(StrEnum):
    UNKNOWN_REGION = "calendar_unknown_region"


def calendar_cache_clear() -> None:
    """Forget every cached override (after a write, and before re-timing)."""
    _cache.clear()


# --------------------------------------------------------------------------- reads


def _load(region: str, team_id: int | None) -> dict[date, bool]:
    rows = CalendarOverride.objects.filter(region=region, team__isnull=True)
    days = {row.day: row.kind == CalendarOverride.Kind.WORKDAY for row in rows}
    if team_id is not None:
        own = CalendarOverride.objects.filter(team_id=team_id)
        days.update({row.day: row.kind == CalendarOverride.Kind.WORKDAY for row in own})
    return days


def override_days(*, region: str, team_id: int | None = None) -> dict[date, bool]:
    """Date to working (True) or off (False): the region's rows, then the team's on top."""
    key = (region, team_id)
    cached = _cache.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return dict(cached[1])
    days = _load(region, team_id)
    _cache[key] = (now, days)
    return dict(days)


def holiday_region(
    code: str, *, team_id: int | None = None, lenient: bool = False
) -> HolidayRegion:
    """The region ``code`` with its overrides (and ``team_id``'s own) on top.

    ``lenient`` falls back to the weekdays, logged, for a year with neither
    package data nor overrides (the desk's clocks); without it such a year
    raises :class:`~kefu.core.calendar.CalendarError` (the ``kefu calendar``
    command). An unknown code raises ``CalendarError`` too.
    """
    return OverriddenRegion(
        get_region(code), override_days(region=code, team_id=team_id), lenient=lenient
    )


def team_calendar(team: Team | None) -> BusinessCalendar:
    """The business calendar ``team``'s clocks run on: its hours and weekdays, its
    region's holidays with every override on top (default hours on China's
    calendar without a team)."""
    if team is None:
        return BusinessCalendar(
            hours=parse_working_hours(DEFAULT_HOURS), region=holiday_region("cn", lenient=True)
        )
    base = BusinessCalendar.from_text(
        hours=team.working_hours, region=team.calendar_region, weekdays=team.working_days
    )
    return BusinessCalendar(
        hours=base.hours,
        region=holiday_region(team.calendar_region, team_id=team.pk, lenient=True),
        weekdays=base.weekdays,
        tz=base.tz,
    )


def team_calendar_before(
    team: Team | None, *, region: str, team_id: int | None, before: dict[date, str | None]
) -> BusinessCalendar:
    """``team``'s calendar as it was before a change of ``region``'s overrides
    (``team_id`` None) or of one team's own (``team_id``): each date in ``before``
    back to its earlier state (None: no override)."""
    now = team_calendar(team)
    region_days = override_days(region=region)
    own = {}
    if team is not None:
        own = {
            row.day: row.kind == CalendarOverride.Kind.WORKDAY
            for row in CalendarOverride.objects.filter(team=team)
        }
    layer = own if team_id is not None else region_days
    for day, state in before.items():
        if state is None:
            layer.pop(day, None)
        else:
            layer[day] = state == CalendarOverride.Kind.WORKDAY
    days = {**region_days, **own}
    code = team.calendar_region if team is not None else "cn"
    return BusinessCalendar(
        hours=now.hours,
        region=OverriddenRegion(get_region(code), days, lenient=True),
        weekdays=now.weekdays,
        tz=now.tz,
    )


def regions_in_use() -> list[str]:
    """The regions of every team, and ``cn`` (the default), sorted."""
    codes = set(Team.objects.values_list("calendar_region", flat=True)) | {"cn"}
    return sorted(codes)


@dataclass(frozen=True)
class MissingSchedule:
    region: str
    year: int


def calendar_years_missing(*, today: date) -> list[MissingSchedule]:
    """Years the desk will run on weekdays only: this year, and from 1 November
    the next, for each region in use that has neither package data nor an
    override for that year."""
    years = [today.year]
    if (today.month, today.day) >= WARN_FROM:
        years.append(today.year + 1)
    missing = []
    for code in regions_in_use():
        try:
            region = holiday_region(code)
        except CalendarError:
            continue  # an unknown region is reported where teams are checked
        missing += [
            MissingSchedule(code, year) for year in years if not region_covers(region, year)
        ]
    return missing


def overrides_export(*, region: str, year: int | None = None) -> list[OverrideRow]:
    """The region-wide overrides of ``region`` (of one ``year``), by date."""
    rows = CalendarOverride.objects.filter(region=region, team__isnull=True)
    if year is not None:
        rows = rows.filter(day__year=year)
    return [OverrideRow(day=row.day, kind=row.kind, name=row.name) for row in rows.order_by("day")]


# --------------------------------------------------------------------------- writes


def _check_region(region: str) -> None:
    try:
        get_region(region)
    except CalendarError as error:
        raise DomainError(
            OverrideErrorCode.UNKNOWN_REGION,
            _("%(error)s"),
            error=str(error),
        ) from None


def _state(row: CalendarOverride | None) -> str | None:
    return row.kind if row is not None else None


def _queue_retime(
    *, region: str, team_id: int | None, before: dict[date, str | None], at: datetime
) -> None:
    """Queue (or extend) the due row that re-times the clocks on the changed dates."""
    if not before:
        return
    key = f"calendar:{region}:{team_id if team_id is not None else '*'}"
    pending = ScheduledJob.objects.filter(key=key, done_at__isnull=True).first()
    merged: dict[str, str | None] = {day.isoformat(): state for day, state in before.items()}
    if pending is not None:
        merged.update(pending.payload.get("before", {}))  # the oldest state wins
    clock.job_schedule(
        kind=CALENDAR_CHANGED_JOB,
        key=key,
        due_at=at,
        payload={"region": region, "team_id": team_id, "before": merged},
    )


def _changed(
    *, region: str, team_id: int | None, before: dict[date, str | None], at: datetime
) -> None:
    calendar_cache_clear()
    transaction.on_commit(calendar_cache_clear)
    _queue_retime(region=region, team_id=team_id, before=before, at=at)


def _authorize(actor: User | None) -> None:
    if actor is not None:  # None: the shell (``kefu calendar import``), trusted
        authorize(actor, Perm.MANAGE_SETTINGS)


@transaction.atomic
def calendar_override_save(
    *,
    actor: User | None,
    region: str,
    team: Team | None,
    day: date,
    kind: str,
    name: str,
    at: datetime,
) -> CalendarOverride:
    """Make ``day`` a day off or a make-up working day for ``region`` (or ``team``)."""
    _authorize(actor)
    _check_region(region)
    scope = Q(team=team) if team is not None else Q(region=region, team__isnull=True)
    existing = CalendarOverride.objects.filter(scope, day=day).first()
    if existing is not None and (existing.kind, existing.name) == (kind, name):
        return existing
    row = existing or CalendarOverride(region=region, team=team, day=day)
    before = {"kind": existing.kind, "name": existing.name} if existing is not None else None
    row.kind, row.name, row.changed_at = kind, name, at
    row.save()
    audit_record(
        actor=actor,
        action="calendar.override_saved",
        target=row,
        at=at,
        before=before,
        after={"day": day.isoformat(), "kind": kind, "name": name},
    )
    if _state(existing) != kind:
        _changed(
            region=region,
            team_id=team.pk if team else None,
            before={day: _state(existing)},
            at=at,
        )
    return row


@transaction.atomic
def calendar_override_delete(
    *, actor: User | None, override: CalendarOverride, at: datetime
) -> None:
    """Remove one override: the date reads as the package (or the weekdays) say again."""
    _authorize(actor)
    audit_record(
        actor=actor,
        action="calendar.override_deleted",
        target=override,
        at=at,
        before={"day": override.day.isoformat(), "kind": override.kind, "name": override.name},
    )
    region, team_id, day, kind = override.region, override.team_id, override.day, override.kind
    override.delete()
    _changed(region=region, team_id=team_id, before={day: kind}, at=at)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def calendar_overrides_import(
    *, actor: User | None, rows: Sequence[OverrideRow], region: str, at: datetime
) -> ImportSummary:
    """Write the region-wide overrides in ``rows`` (already checked whole, see
    :func:`kefu.core.calendar_file.parse_overrides`). A date already holding the
    same kind and name is left alone, so importing a file twice changes nothing."""
    _authorize(actor)
    _check_region(region)
    days = [row.day for row in rows]
    existing = {
        row.day: row
        for row in CalendarOverride.objects.filter(region=region, team__isnull=True, day__in=days)
    }
    created = updated = 0
    before: dict[date, str | None] = {}
    new_rows = []
    for row in rows:
        found = existing.get(row.day)
        if found is None:
            new_rows.append(
                CalendarOverride(
                    region=region, day=row.day, kind=row.kind, name=row.name, changed_at=at
                )
            )
            before[row.day] = None
            created += 1
        elif (found.kind, found.name) != (row.kind, row.name):
            if found.kind != row.kind:
                before[row.day] = found.kind
            found.kind, found.name, found.changed_at = row.kind, row.name, at
            found.save(update_fields=["kind", "name", "changed_at"])
            updated += 1
    CalendarOverride.objects.bulk_create(new_rows)
    summary = ImportSummary(
        created=created, updated=updated, unchanged=len(rows) - created - updated
    )
    if created or updated:
        marker = CalendarOverride.objects.filter(
            region=region, team__isnull=True, day=days[0]
        ).get()
        audit_record(
            actor=actor,
            action="calendar.overrides_imported",
            target=marker,
            at=at,
            after={
                "region": region,
                "first": min(days).isoformat(),
                "last": max(days).isoformat(),
                "created": created,
                "updated": updated,
            },
        )
        _changed(region=region, team_id=None, before=before, at=at)
    return summary


def affected_teams(*, region: str, team_id: int | None) -> Iterable[Team]:
    """The teams whose clocks a change of ``region`` (or of one team) moves."""
    if team_id is not None:
        return Team.objects.filter(pk=team_id)
    return Team.objects.filter(calendar_region=region)
