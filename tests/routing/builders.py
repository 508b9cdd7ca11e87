"""Builders for routing tests: a routed team, its agents on shift, their floor states."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.cases import services as case_services
from kefu.cases.models import Case
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation
from kefu.floor.models import AgentState, Leave
from kefu.routing.models import AgentSkill, TeamRouting
from kefu.workforce.models import Schedule, ScheduledShift
from tests.cases.builders import at, make_contact
from tests.core.factories import make_staff

DAY = "2026-12-07"  # a Monday


def routed(team: Team, **fields: object) -> TeamRouting:
    values: dict[str, object] = {
        "method": "skills_first",
        "fallback_minutes": 10,
        "capacity": 15,
        "channel_capacity": {"chat": 3, "email": 10},
        "updated_at": at(f"{DAY} 08:00"),
        **fields,
    }
    row, _created = TeamRouting.objects.update_or_create(team=team, defaults=values)
    return row


def agent_in(team: Team, username: str) -> User:
    return make_staff(username=username, role=Role.AGENT, team=team, department=team.department)


def _schedule(team: Team) -> Schedule:
    schedule = Schedule.objects.filter(team=team, status=Schedule.Status.PUBLISHED).first()
    if schedule is None:
        schedule = Schedule.objects.create(
            team=team,
            week_start=at(f"{DAY} 00:00").date(),
            rules={},
            status=Schedule.Status.PUBLISHED,
            created_at=at(f"{DAY} 00:00"),
            published_at=at(f"{DAY} 00:00"),
        )
    return schedule


def on_shift(agent: User, *, start: str = "09:00", end: str = "18:00") -> ScheduledShift:
    assert agent.team is not None
    return ScheduledShift.objects.create(
        schedule=_schedule(agent.team),
        agent=agent,
        start=at(f"{DAY} {start}"),
        end=at(f"{DAY} {end}"),
    )


def in_state(agent: User, state: str, *, since: str = "09:00") -> AgentState:
    AgentState.objects.filter(agent=agent, ended_at__isnull=True).update(
        ended_at=at(f"{DAY} {since}")
    )
    return AgentState.objects.create(agent=agent, state=state, started_at=at(f"{DAY} {since}"))


def working(agent: User, *, start: str = "09:00", end: str = "18:00") -> User:
    """On a published shift and signed in, available."""
    on_shift(agent, start=start, end=end)
    in_state(agent, AgentState.State.AVAILABLE, since=start)
    return agent


def on_leave(agent: User) -> Leave:
    return Leave.objects.create(
        agent=agent,
        kind=Leave.Kind.SICK,
        start_date=at(f"{DAY} 00:00").date(),
        end_date=at(f"{DAY} 00:00").date(),
        status=Leave.Status.APPROVED,
        created_at=at(f"{DAY} 07:00"),
    )


def skill(agent: User, kind: str, value: str, level: int = 1) -> AgentSkill:
    return AgentSkill.objects.create(
        agent=agent, kind=kind, value=value, level=level, updated_at=at(f"{DAY} 08:00")
    )


def key_account_contact(*, language: str = "zh-hans") -> Contact:
    organisation = Organisation.objects.create(
        name=f"重点客户{Organisation.objects.count() + 1}",
        tier=Organisation.Tier.KEY,
        created_at=at("2026-01-01 09:00"),
    )
    return make_contact(organisation=organisation, language=language)


def holding(
    agent: User, team: Team, n: int, *, channel: str = "email", when: str = "08:30"
) -> None:
    """Give ``agent`` ``n`` open cases (background load)."""
    for i in range(n):
        case_services.case_open(
            actor=None,
            contact=make_contact(),
            subject=f"旧工单{i}",
            body="请回电。",
            channel=channel,
            at=at(f"{DAY} {when}"),
            owner=agent,
            team=team,
        )


def open_email(
    team: Team,
    *,
    when: str,
    contact: Contact | None = None,
    subject: str = "卫生间漏水",
    body: str = "楼上漏水，天花板一直在滴水，请尽快派人。",
    channel: str = "email",
) -> Case:
    return case_services.case_open(
        actor=None,
        contact=contact or make_contact(),
        subject=subject,
        body=body,
        channel=channel,
        at=at(f"{DAY} {when}"),
        team=team,
    )


def minutes_after(text: str, minutes: int) -> datetime:
    return at(f"{DAY} {text}") + timedelta(minutes=minutes)
