"""The routing API: each team's routing settings, agents' skills, a case's routing
(requirements, whether it waits and why) and "route now". The same services and
selectors as the pages; settings and skills are for leads, managers and administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from pydantic import Field

from kefu.cases.selectors import access_case
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.requests import request_user as actor_of
from kefu.core.schemas import StrictInput
from kefu.routing import reasons, selectors, services
from kefu.routing.errors import RoutingErrorCode
from kefu.routing.models import AgentSkill, CaseRouting, RoutingMethod, TeamRouting

router = Router(tags=["routing"])


class TeamRoutingOut(Schema):
    team_id: int
    team: str
    is_routed: bool
    is_enabled: bool
    method: str
    fallback_minutes: int
    require_shift: bool
    sticky_days: int
    capacity: int
    channel_capacity: dict[str, int]


class TeamRoutingIn(StrictInput):
    method: str = Field(
        RoutingMethod.SKILLS_FIRST, description="round_robin, least_loaded, skills_first"
    )
    is_enabled: bool = True
    fallback_minutes: int = Field(10, ge=0, le=10_000)
    require_shift: bool = True
    sticky_days: int = Field(7, ge=0, le=10_000)
    capacity: int = Field(15, ge=1, le=10_000)
    channel_capacity: dict[str, int] = Field(
        default_factory=dict, description='e.g. {"chat": 3, "email": 10}'
    )


class SkillOut(Schema):
    id: int
    agent: str
    kind: str
    value: str
    label: str
    level: int


class SkillIn(StrictInput):
    agent: str = Field(description="the agent's username")
    kind: str = Field(description="category, language, channel, tier, region or topic")
    value: str = Field(max_length=100)
    level: int = Field(1, ge=1, le=3)


class RequirementIO(StrictInput):
    kind: str
    value: str = Field(max_length=100)
    level: int = Field(1, ge=1, le=3)


class RequirementsIn(StrictInput):
    requirements: list[RequirementIO] | None = Field(
        description="null: read the requirements from the case again", max_length=20
    )


class CaseRoutingOut(Schema):
    case_id: int
    owner: str | None
    is_manual: bool
    requirements: list[dict[str, Any]]
    status: str
    waiting_since: datetime | None
    reason_code: str
    reason: str


class RouteOut(Schema):
    outcome: str
    code: str
    agent: str | None
    text: str


def _team_out(team_id: int, name: str, row: TeamRouting | None) -> dict[str, Any]:
    defaults = TeamRouting()
    source = row or defaults
    return {
        "team_id": team_id,
        "team": name,
        "is_routed": row is not None,
        "is_enabled": bool(row and row.is_enabled),
        "method": source.method,
        "fallback_minutes": source.fallback_minutes,
        "require_shift": source.require_shift,
        "sticky_days": source.sticky_days,
        "capacity": source.capacity,
        "channel_capacity": dict(source.channel_capacity or {}),
    }


def _skill_out(skill: AgentSkill) -> dict[str, Any]:
    return {
        "id": skill.pk,
        "agent": skill.agent.get_username(),
        "kind": skill.kind,
        "value": skill.value,
        "label": reasons.value_label(skill.kind, skill.value),
        "level": skill.level,
    }


def _case_out(case_id: int, actor: User) -> dict[str, Any]:
    case = access_case(actor, case_id)
    row = selectors.case_routing(case)
    waiting = row is not None and row.status == CaseRouting.Status.WAITING and not case.owner_id
    return {
        "case_id": case.pk,
        "owner": case.owner.get_username() if case.owner else None,
        "is_manual": bool(row and row.is_manual),
        "requirements": [
            {
                "kind": n.kind,
                "value": n.value,
                "level": n.level,
                "label": reasons.value_label(n.kind, n.value),
            }
            for n in selectors.requirements_for(case, row)
        ],
        "status": row.status
        if row and (waiting or row.status != CaseRouting.Status.WAITING)
        else "",
        "waiting_since": row.waiting_since if waiting and row else None,
        "reason_code": row.reason if waiting and row else "",
        "reason": reasons.decision_text(row.reason, row.reason_params) if waiting and row else "",
    }


@router.get("/teams", response=list[TeamRoutingOut])
def teams(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _team_out(team.pk, team.name, selectors.team_routing(team))
        for team in selectors.teams_for(actor_of(request))
    ]


@router.get("/teams/{team_id}", response=TeamRoutingOut)
def team_get(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = selectors.access_team(actor_of(request), team_id)
    return _team_out(team.pk, team.name, selectors.team_routing(team))


@router.put("/teams/{team_id}", response=TeamRoutingOut)
def team_put(request: HttpRequest, team_id: int, payload: TeamRoutingIn) -> dict[str, Any]:
    actor = actor_of(request)
    team = selectors.access_team(actor, team_id)
    row = services.team_routing_save(actor=actor, team=team, at=timezone.now(), **payload.dict())
    return _team_out(team.pk, team.name, row)


@router.get("/teams/{team_id}/skills", response=list[SkillOut])
def team_skills(request: HttpRequest, team_id: int) -> list[dict[str, Any]]:
    team = selectors.access_team(actor_of(request), team_id)
    return [_skill_out(skill) for skill in selectors.skills_for_team(team)]


@router.post("/skills", response={201: SkillOut})
def skill_set(request: HttpRequest, payload: SkillIn) -> Status[Any]:
    actor = actor_of(request)
    selectors.authorize_manage(actor)
    agent = User.objects.filter(username=payload.agent, is_active=True).first()
    if agent is None:
        raise NotFoundError(
            RoutingErrorCode.AGENT_NOT_IN_TEAM, _("No active user %(name)s."), name=payload.agent
        )
    skill = services.skill_set(
        actor=actor,
        agent=agent,
        kind=payload.kind,
        value=payload.value,
        level=payload.level,
        at=timezone.now(),
    )
    return Status(201, _skill_out(skill))


@router.delete("/skills/{skill_id}", response={204: None})
def skill_delete(request: HttpRequest, skill_id: int) -> Status[None]:
    actor = actor_of(request)
    skill = selectors.access_skill(actor, skill_id)
    services.skill_remove(actor=actor, skill=skill, at=timezone.now())
    return Status(204, None)


@router.get("/cases/{case_id}", response=CaseRoutingOut)
def case_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(case_id, actor_of(request))


@router.put("/cases/{case_id}/requirements", response=CaseRoutingOut)
def case_requirements(
    request: HttpRequest, case_id: int, payload: RequirementsIn
) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor, case_id)
    wanted = (
        None if payload.requirements is None else [item.dict() for item in payload.requirements]
    )
    services.case_requirements_set(actor=actor, case=case, requirements=wanted, at=timezone.now())
    return _case_out(case_id, actor)


@router.post("/cases/{case_id}/route", response=RouteOut)
def case_route(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor, case_id)
    result = services.case_route_now(actor=actor, case=case, at=timezone.now())
    return {
        "outcome": str(result.outcome),
        "code": str(result.code),
        "agent": result.agent.get_username() if result.agent else None,
        "text": result.text,
    }
