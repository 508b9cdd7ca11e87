"""Reads of the people practices: sick pay, the two-year list, exposure, onboarding,
hiring against the bar, overtime per month.

The exposure reads here are for the people page only. QA (``kefu.quality``) and
discipline (``services.people``) never call them; a test keeps it so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Message
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm, Role
from kefu.floor import plan
from kefu.floor.days import day_bounds
from kefu.floor.entitlements import Policy, SickSpell, YearPay, sick_pay
from kefu.floor.errors import PeopleErrorCode
from kefu.floor.exposure import ContactReading, Exposure, Level, exposure_of
from kefu.floor.models import (
    Candidate,
    CareerEvent,
    ContractType,
    ExitRecord,
    InterviewScore,
    Leave,
    LeavePolicy,
    OnboardingStep,
    Opening,
    Overtime,
    PersonContract,
)
from kefu.floor.retention import months_between, near_two_years
from kefu.floor.services._common import require_watch

# The lead sees a shift's exposure suggestion this long after the agent could: the
# agent reads it first, on their own page.
AGENT_FIRST = timedelta(minutes=15)
MOVES = (CareerEvent.Kind.ROLE_CHANGE, CareerEvent.Kind.TRANSFER)


# -- sick pay ------------------------------------------------------------------------------


def contract_type_of(agent: User) -> str:
    row = PersonContract.objects.filter(agent=agent).first()
    return row.contract_type if row is not None else ContractType.FULL_TIME


def sick_pay_for(agent: User, *, year: int) -> YearPay:
    """Paid and unpaid sick days of ``agent`` in ``year`` under the policy table row of
    their contract type. Read-only: the recorded leave never changes."""
    row = LeavePolicy.objects.filter(contract_type=contract_type_of(agent), year=year).first()
    policy = Policy(row.paid_sick_days, row.sick_pay_percent) if row is not None else None
    spells = [
        SickSpell(key=leave.pk, start=leave.start_date, end=leave.end_date)
        for leave in Leave.objects.filter(
            agent=agent,
            kind=Leave.Kind.SICK,
            status=Leave.Status.APPROVED,
            start_date__lte=date(year, 12, 31),
            end_date__gte=date(year, 1, 1),
        )
    ]
    return sick_pay(spells, year=year, policy=policy)


def leave_policies_for(actor: User) -> QuerySet[LeavePolicy]:
    """The sick-pay table; anyone who looks after agents may read it."""
    authorize(actor, Perm.VIEW_TEAM)
    return LeavePolicy.objects.select_related("updated_by").order_by("-year", "contract_type")


# -- the two-year list ---------------------------------------------------------------------


@dataclass(frozen=True)
class TwoYearRow:
    agent: User
    hired_on: date
    months: int
    last_step: CareerEvent | None


def two_year_list_for(actor: User, *, today: date) -> list[TwoYearRow]:
    """Agents between 18 and 24 months of service with no role change or transfer yet,
    longest-serving first. For those who see retention (``VIEW_USERS``); a lead sees
    their own team only."""
    authorize(actor, Perm.VIEW_USERS)
    people = User.objects.filter(role=Role.AGENT, is_active=True).select_related("team")
    if not actor.has_role_perm(Perm.WATCH_FLOOR):
        people = people.filter(team_id=actor.team_id) if actor.team_id else people.none()
    ids = [p.pk for p in people]
    hired = dict(
        CareerEvent.objects.filter(agent_id__in=ids, kind=CareerEvent.Kind.HIRED).values_list(
            "agent_id", "on"
        )
    )
    moved = set(
        CareerEvent.objects.filter(agent_id__in=ids, kind__in=MOVES).values_list(
            "agent_id", flat=True
        )
    )
    left = set(ExitRecord.objects.filter(agent_id__in=ids).values_list("agent_id", flat=True))
    last: dict[int, CareerEvent] = {}
    for event in CareerEvent.objects.filter(agent_id__in=ids).order_by("on", "pk"):
        last[event.agent_id] = event
    rows = []
    for person in people:
        start = hired.get(person.pk, person.date_joined.date())
        if near_two_years(start, today=today, moved=person.pk in moved, left=person.pk in left):
            rows.append(
                TwoYearRow(person, start, months_between(start, today), last.get(person.pk))
            )
    return sorted(rows, key=lambda row: (row.hired_on, row.agent.username))


# -- exposure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftExposure:
    day: date
    start: datetime
    end: datetime
    exposure: Exposure
    turned_high_at: datetime | None

    def lead_may_see(self, now: datetime) -> bool:
        """The lead's suggestion shows once the agent has had it to themself a while."""
        return self.turned_high_at is not None and now >= self.turned_high_at + AGENT_FIRST


def _window(agent: User, day: date) -> tuple[datetime, datetime]:
    for shift in plan.agent_days(day, include_leave=True):
        if shift.agent_id == agent.pk:
            return shift.shift_start, shift.shift_end
    return day_bounds(day)


def _abuse(reading: dict[str, Any]) -> bool:
    if reading.get("abuse"):
        return True
    kinds = reading.get("threat_kinds") or []
    cues = reading.get("cues") or []
    codes = [str(c.get("code", "")) for c in cues if isinstance(c, dict)]
    return any("abuse" in str(k) or "insult" in str(k) for k in [*kinds, *codes])


def _readings(agent: User, start: datetime, end: datetime) -> list[tuple[datetime, ContactReading]]:
    replied = Message.objects.filter(
        author=agent, created_at__gte=start, created_at__lt=end
    ).values("case_id")
    rows = (
        Message.objects.filter(
            direction=Message.Direction.INBOUND,
            reading__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .filter(Q(case__owner=agent) | Q(case_id__in=replied))
        .select_related("case")
        .order_by("created_at", "pk")
    )
    found = []
    for message in rows:
        reading = message.reading if isinstance(message.reading, dict) else {}
        found.append(
            (
                message.created_at,
                ContactReading(
                    upset=bool(message.upset),
                    threat=bool(message.threat),
                    abuse=_abuse(reading),
                    escalation_risk=message.escalation_risk,
                    complaint=bool(reading.get("complaint")) or message.case.category != "enquiry",
                ),
            )
        )
    return found


def _shift_exposure(agent: User, day: date, previous: Level | None) -> ShiftExposure:
    start, end = _window(agent, day)
    readings = _readings(agent, start, end)
    exposure = exposure_of([r for _at, r in readings], previous_level=previous)
    turned = None
    if exposure.level is Level.HIGH:
        for index in range(1, len(readings) + 1):
            if exposure_of([r for _at, r in readings[:index]]).level is Level.HIGH:
                turned = readings[index - 1][0]
                break
    return ShiftExposure(day, start, end, exposure, turned)


def exposure_for(actor: User, agent: User, *, today: date, days: int = 7) -> list[ShiftExposure]:
    """``agent``'s exposure per shift over the last ``days`` days, newest first: the
    agent themself, or a lead who looks after them (who is shown only the suggestion,
    and only after the agent has seen it: ``ShiftExposure.lead_may_see``)."""
    if agent.pk != actor.pk:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, agent)
    shifts: list[ShiftExposure] = []
    previous: Level | None = None
    for offset in range(days - 1, -1, -1):
        shift = _shift_exposure(agent, today - timedelta(days=offset), previous)
        previous = shift.exposure.level
        shifts.append(shift)
    return [s for s in reversed(shifts) if s.exposure.contacts]


# -- onboarding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OnboardingItem:
    step: str
    label: str
    done: OnboardingStep | None


def onboarding_for(agent: User) -> list[OnboardingItem]:
    """The three steps of ``agent``'s onboarding in order, each ticked or not."""
    done = {row.step: row for row in OnboardingStep.objects.filter(agent=agent)}
    return [
        OnboardingItem(value, str(label), done.get(value))
        for value, label in OnboardingStep.Step.choices
    ]


# -- hiring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningReport:
    opening: Opening
    candidates: int
    scored: int
    hires: int
    hires_at_bar: int
    hires_below_bar: list[tuple[Candidate, float | None]]


def candidate_average(candidate: Candidate, opening: Opening) -> float | None:
    cards = list(
        InterviewScore.objects.filter(opening=opening, candidate=candidate).values_list(
            "average", flat=True
        )
    )
    return round(sum(cards) / len(cards), 2) if cards else None


def access_opening(actor: User, opening_id: int) -> Opening:
    authorize(actor, Perm.VIEW_TEAM)
    opening = Opening.objects.filter(pk=opening_id).first()
    if opening is None:
        raise NotFoundError(PeopleErrorCode.OPENING_NOT_FOUND, _("No such opening."))
    return opening


def hiring_report_for(actor: User) -> list[OpeningReport]:
    """Per opening: candidates, how many were scored, hires, and every hire whose
    interview average is below the opening's bar (or who was hired unscored)."""
    authorize(actor, Perm.VIEW_TEAM)
    reports = []
    for opening in Opening.objects.order_by("-created_at", "pk"):
        people = list(Candidate.objects.filter(opening=opening))
        averages = {c.pk: candidate_average(c, opening) for c in people}
        hires = [c for c in people if c.stage == Candidate.Stage.HIRED]
        below = [
            (c, averages[c.pk])
            for c in hires
            if averages[c.pk] is None or (averages[c.pk] or 0) < opening.bar
        ]
        reports.append(
            OpeningReport(
                opening=opening,
                candidates=len(people),
                scored=sum(1 for value in averages.values() if value is not None),
                hires=len(hires),
                hires_at_bar=len(hires) - len(below),
                hires_below_bar=below,
            )
        )
    return reports


# -- overtime ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OvertimeRow:
    agent: User
    minutes: int
    entries: int
    by_reason: list[tuple[str, int]]


def overtime_month_for(actor: User, *, year: int, month: int) -> list[OvertimeRow]:
    """Overtime per agent in one month, most first, with minutes per reason (labels).
    A lead sees their team; floor watchers everyone."""
    authorize(actor, Perm.VIEW_TEAM)
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    rows = Overtime.objects.filter(on__gte=first, on__lt=after).select_related("agent")
    if not actor.has_role_perm(Perm.WATCH_FLOOR):
        rows = rows.filter(agent__team_id=actor.team_id) if actor.team_id else rows.none()
    labels = dict(Overtime.Reason.choices)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[int, int] = defaultdict(int)
    people: dict[int, User] = {}
    for row in rows:
        totals[row.agent_id][row.reason] += row.minutes
        counts[row.agent_id] += 1
        people[row.agent_id] = row.agent
    report = [
        OvertimeRow(
            agent=people[pk],
            minutes=sum(reasons.values()),
            entries=counts[pk],
            by_reason=sorted(
                ((str(labels[reason]), minutes) for reason, minutes in reasons.items()),
                key=lambda item: -item[1],
            ),
        )
        for pk, reasons in totals.items()
    ]
    return sorted(report, key=lambda r: (-r.minutes, r.agent.username))


def overtime_for(agent: User) -> QuerySet[Overtime]:
    return Overtime.objects.filter(agent=agent).order_by("-on", "pk")
