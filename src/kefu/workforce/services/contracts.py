"""Agent contracts and the team members a schedule plans for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.models import Team, User
from kefu.core.roles import Perm, Role
from kefu.workforce import scheduling
from kefu.workforce.models import (
    AgentContract,
)

LOCAL = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------- contracts


def default_availability(team: Team | None) -> tuple[time, time]:
    """The span of the team's working hours ("08:30-12:00,13:00-20:00" -> 08:30-20:00)."""
    try:
        spans = [part.split("-") for part in (team.working_hours if team else "").split(",")]
        starts = [time.fromisoformat(span[0].strip()) for span in spans]
        ends = [time.fromisoformat(span[1].strip()) for span in spans]
        return min(starts), max(ends)
    except (ValueError, IndexError):
        return time(8, 0), time(21, 0)


def contract_save(
    *,
    actor: User,
    user: User,
    max_hours_per_week: float,
    max_days_per_week: int,
    available_from: time,
    available_to: time,
    days_off: Sequence[date] = (),
    at: datetime,
) -> AgentContract:
    """Create or replace ``user``'s contract; audited with the values before and after."""
    authorize(actor, Perm.PLAN_WORKFORCE)
    values = {
        "max_hours_per_week": float(max_hours_per_week),
        "max_days_per_week": int(max_days_per_week),
        "available_from": available_from,
        "available_to": available_to,
        "days_off": sorted(day.isoformat() for day in days_off),
    }
    before = AgentContract.objects.filter(user=user).values(*values).first()
    contract, _created = AgentContract.objects.update_or_create(user=user, defaults=values)
    audit_record(
        actor=actor,
        action="workforce.contract_save",
        target=contract,
        at=at,
        before={key: str(value) for key, value in before.items()} if before else None,
        after={key: str(value) for key, value in values.items()},
    )
    return contract


def team_agents(team: Team) -> list[User]:
    return list(
        User.objects.filter(team=team, role=Role.AGENT, is_active=True)
        .select_related("workforce_contract")
        .order_by("username")
    )


def contract_json(user: User, team: Team) -> dict[str, Any]:
    contract = getattr(user, "workforce_contract", None)
    if contract is None:
        start, end = default_availability(team)
        return {
            "agent": user.username,
            "max_hours_per_week": 40.0,
            "max_days_per_week": 5,
            "available_from": start.isoformat("minutes"),
            "available_to": end.isoformat("minutes"),
            "days_off": [],
        }
    return {
        "agent": user.username,
        "max_hours_per_week": contract.max_hours_per_week,
        "max_days_per_week": contract.max_days_per_week,
        "available_from": contract.available_from.isoformat("minutes"),
        "available_to": contract.available_to.isoformat("minutes"),
        "days_off": list(contract.days_off),
    }


def core_contracts(contracts: Sequence[dict[str, Any]]) -> list[scheduling.AgentContract]:
    return [
        scheduling.AgentContract(
            agent=item["agent"],
            max_hours_per_week=float(item["max_hours_per_week"]),
            max_days_per_week=int(item["max_days_per_week"]),
            available_from=time.fromisoformat(item["available_from"]),
            available_to=time.fromisoformat(item["available_to"]),
            days_off=frozenset(date.fromisoformat(day) for day in item["days_off"]),
        )
        for item in contracts
    ]
