"""What a rule or a macro does to a case: each action through the case services.

Every action runs as ``actor`` (the rule's author, or the agent applying a
macro), so the case services check that person's rights, and the audit log and
the case history name them; the history line also names the rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kefu.automation.errors import AutomationErrorCode
from kefu.cases import services as case_services
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, ReplyTemplate
from kefu.cases.services._common import cas_update
from kefu.cases.services.workspace import reply_template_render
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.core.roles import Perm, Role
from kefu.core.services import notification_send

NOTIFY_CODE = "automation.notify"


def _user(pk: object) -> User:
    user = User.objects.filter(pk=int(str(pk)), is_active=True).first()
    if user is None:
        raise DomainError(
            AutomationErrorCode.ACTION_FAILED,
            _("The person %(id)s named by the rule no longer exists or is inactive."),
            id=str(pk),
        )
    return user


def _fresh(case: Case) -> Case:
    case.refresh_from_db()
    return case


def _set_field(case: Case, actor: User, action: Mapping[str, Any], at: datetime) -> str:
    field, value = str(action["field"]), str(action["value"])
    if field == "status":
        if case.status != value:
            case_services.case_set_status(actor=actor, case=case, status=value, at=at)
    else:
        case_services.case_update(
            actor=actor, case=case, at=at, version=case.version, changes={field: value}
        )
    return f"{field}={value}"


def _add_tags(case: Case, actor: User, action: Mapping[str, Any], at: datetime) -> str:
    tags = list(case.tags or [])
    tags += [str(tag).strip() for tag in action["tags"] if str(tag).strip() not in tags]
    case_services.case_update(
        actor=actor, case=case, at=at, version=case.version, changes={"tags": tags}
    )
    return "tags=" + ",".join(tags)


def _assign_person(case: Case, actor: User, action: Mapping[str, Any], at: datetime) -> str:
    owner = _user(action["user"])
    if case.owner_id != owner.pk:
        case_services.case_assign(actor=actor, case=case, owner=owner, at=at)
    return f"owner={owner.pk}"


def case_team_assign(*, actor: User, case: Case, team: Team, at: datetime, rule: str) -> Case:
    """Put the case in ``team``'s queue (and its department), without an owner unless
    the owner is in that team. Team leads and above (``APPROVE_ESCALATIONS``)."""
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    if case.team_id == team.pk:
        return case
    before = {"team": case.team_id, "department": case.department_id}
    fields: dict[str, Any] = {"team": team, "department_id": team.department_id}
    if case.owner_id is not None and case.owner is not None and case.owner.team_id != team.pk:
        fields["owner"] = None
    cas_update(case, at=at, **fields)
    case_event_record(
        case=case, kind="automation_team", at=at, actor=actor, team=str(team), rule=rule
    )
    audit_record(
        actor=actor,
        action="case.team_assigned",
        target=case,
        at=at,
        before=before,
        after={"team": team.pk, "department": team.department_id},
    )
    return case


def _assign_team(
    case: Case, actor: User, action: Mapping[str, Any], at: datetime, rule: str
) -> str:
    team = Team.objects.filter(pk=action["team"]).first()
    if team is None:
        raise DomainError(
            AutomationErrorCode.ACTION_FAILED,
            _("The team %(id)s named by the rule no longer exists."),
            id=str(action["team"]),
        )
    case_team_assign(actor=actor, case=case, team=team, at=at, rule=rule)
    return f"team={team.pk}"


def _assign_routing(case: Case, actor: User, at: datetime) -> str:
    try:
        routing = importlib.import_module("kefu.routing.services")
        route_case = routing.route_case
    except (ImportError, AttributeError) as exc:
        raise DomainError(
            AutomationErrorCode.ROUTING_UNAVAILABLE,
            _("Routing is not available on this desk yet; the case was not routed."),
        ) from exc
    route_case(case, at=at, actor=actor)
    return "routed"


def _add_watchers(
    case: Case, actor: User, action: Mapping[str, Any], at: datetime, rule: str
) -> str:
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    users = [_user(pk) for pk in action["users"]]
    case.watchers.add(*users)
    names = ", ".join(str(user) for user in users)
    case_event_record(
        case=case, kind="automation_watchers", at=at, actor=actor, users=names, rule=rule
    )
    return "watchers=" + ",".join(str(user.pk) for user in users)


def _reply(case: Case, actor: User, action: Mapping[str, Any], at: datetime, rule: str) -> str:
    template = ReplyTemplate.objects.filter(pk=action["template"], is_active=True).first()
    if template is None:
        raise DomainError(
            AutomationErrorCode.ACTION_FAILED,
            _("The reply template %(id)s no longer exists or is inactive."),
            id=str(action["template"]),
        )
    text, _language = reply_template_render(template=template, case=case, agent=actor)
    # An automatic reply is not the first response: nobody has read the case yet,
    # so the SLA clock keeps running (only a person's reply meets it).
    (message,) = case_services.customer_notice(case=case, body=text, at=at, author=None)
    case_event_record(
        case=case,
        kind="automation_replied",
        at=at,
        actor=None,
        template=template.name,
        rule=rule,
        message=message.pk,
    )
    return f"reply={message.pk}"


def recipients(case: Case, to: str) -> list[User]:
    """The staff a ``notify`` action reaches: the owner, the team's lead, the
    department's manager, or the case's watchers (empty when nobody holds it)."""
    if to == "owner":
        return [case.owner] if case.owner is not None and case.owner.is_active else []
    if to == "watchers":
        return list(case.watchers.filter(is_active=True))
    role = Role.TEAM_LEAD if to == "team_lead" else Role.DEPARTMENT_MANAGER
    people = User.objects.filter(role=role, is_active=True)
    people = people.filter(team=case.team) if to == "team_lead" else people
    return list(people.filter(department=case.department).order_by("pk")[:1])


def _notify(case: Case, action: Mapping[str, Any], at: datetime, rule: str) -> str:
    people = recipients(case, str(action["to"]))
    for person in people:
        notification_send(
            recipient=person,
            link=f"/cases/{case.pk}/",
            at=at,
            code=NOTIFY_CODE,
            params={"ref": case.reference, "rule": rule, "body": str(action.get("text", ""))},
        )
    return "notified=" + ",".join(str(person.pk) for person in people)


def _webhook(case: Case, action: Mapping[str, Any], at: datetime, rule: str) -> str:
    from kefu.automation.webhooks import webhook_send_to

    delivery = webhook_send_to(
        subscription_id=int(action["subscription"]),
        event="rule.fired",
        payload={"rule": rule, **case_payload(case)},
        at=at,
    )
    return f"webhook={delivery.pk}"


def case_payload(case: Case) -> dict[str, object]:
    """What a webhook receiver learns about a case (no message text, no contact details)."""
    return {
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "status": case.status,
            "priority": case.priority,
            "category": case.category,
            "channel": case.channel,
            "team": case.team_id,
            "department": case.department_id,
            "owner": case.owner_id,
            "tags": list(case.tags or []),
        }
    }


def actions_apply(
    *, case: Case, actor: User, actions: Sequence[Mapping[str, Any]], at: datetime, rule: str
) -> list[str]:
    """Run ``actions`` in order on ``case``; returns one line per action for the run
    log. The first failing action raises (``DomainError`` or an unexpected error)
    and the caller's savepoint undoes the ones before it."""
    done: list[str] = []
    for action in actions:
        kind = action["type"]
        _fresh(case)
        if kind == "set_field":
            done.append(_set_field(case, actor, action, at))
        elif kind == "add_tags":
            done.append(_add_tags(case, actor, action, at))
        elif kind == "assign_person":
            done.append(_assign_person(case, actor, action, at))
        elif kind == "assign_team":
            done.append(_assign_team(case, actor, action, at, rule))
        elif kind == "assign_routing":
            done.append(_assign_routing(case, actor, at))
        elif kind == "add_watchers":
            done.append(_add_watchers(case, actor, action, at, rule))
        elif kind == "reply_template":
            done.append(_reply(case, actor, action, at, rule))
        elif kind == "note":
            case_services.case_note(actor=actor, case=case, body=str(action["text"]), at=at)
            done.append("note")
        elif kind == "notify":
            done.append(_notify(case, action, at, rule))
        elif kind == "webhook":
            done.append(_webhook(case, action, at, rule))
    _fresh(case)
    return done
