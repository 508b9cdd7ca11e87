"""What a rule can read about a case: the field catalogue and the facts of one case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kefu.automation.rules import FieldSpec, FieldType
from kefu.cases.models import Case, Message
from kefu.cases.services.sla import team_calendar
from kefu.customers.models import Channel, Organisation

_T = FieldType
SLA_TARGETS = ("first_response", "next_update", "resolution")

FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("case.subject", _T.TEXT),
        FieldSpec("case.status", _T.CHOICE, tuple(Case.Status.values)),
        FieldSpec("case.priority", _T.CHOICE, tuple(Case.Priority.values)),
        FieldSpec("case.category", _T.CHOICE, tuple(Case.Category.values)),
        FieldSpec("case.channel", _T.CHOICE, tuple(Channel.values)),
        FieldSpec("case.tags", _T.TAGS),
        FieldSpec("case.team", _T.ID),
        FieldSpec("case.department", _T.ID),
        FieldSpec("case.owner", _T.ID),
        FieldSpec("case.is_confidential", _T.BOOL),
        FieldSpec("case.is_over_heads", _T.BOOL),
        FieldSpec("case.customer_upset", _T.BOOL),
        FieldSpec("case.escalation_risk", _T.NUMBER),
        FieldSpec("case.escalation_level", _T.NUMBER),
        FieldSpec("case.breach_count", _T.NUMBER),
        FieldSpec("contact.name", _T.TEXT),
        FieldSpec("contact.email", _T.TEXT),
        FieldSpec("contact.language", _T.CHOICE, tuple(code for code, _name in settings.LANGUAGES)),
        FieldSpec("organisation.name", _T.TEXT),
        FieldSpec("organisation.tier", _T.CHOICE, tuple(Organisation.Tier.values)),
        FieldSpec("organisation.region", _T.TEXT),
        FieldSpec("organisation.tags", _T.TAGS),
        FieldSpec("message.text", _T.TEXT),
        FieldSpec("message.upset", _T.BOOL),
        FieldSpec("message.threat", _T.BOOL),
        FieldSpec("message.sentiment", _T.TEXT),
        FieldSpec("event.sla_target", _T.CHOICE, SLA_TARGETS),
        FieldSpec("event.csat", _T.NUMBER),
        FieldSpec("time.business_hours", _T.BOOL),
    )
}

FIELD_LABELS: dict[str, Any] = {
    "case.subject": _("Case: subject"),
    "case.status": _("Case: status"),
    "case.priority": _("Case: priority"),
    "case.category": _("Case: category"),
    "case.channel": _("Case: channel"),
    "case.tags": _("Case: tags"),
    "case.team": _("Case: team"),
    "case.department": _("Case: department"),
    "case.owner": _("Case: owner"),
    "case.is_confidential": _("Case: confidential"),
    "case.is_over_heads": _("Case: escalated over heads"),
    "case.customer_upset": _("Case: customer upset"),
    "case.escalation_risk": _("Case: escalation risk"),
    "case.escalation_level": _("Case: escalation level"),
    "case.breach_count": _("Case: SLA breaches"),
    "contact.name": _("Contact: name"),
    "contact.email": _("Contact: email"),
    "contact.language": _("Contact: language"),
    "organisation.name": _("Organisation: name"),
    "organisation.tier": _("Organisation: tier"),
    "organisation.region": _("Organisation: region"),
    "organisation.tags": _("Organisation: tags"),
    "message.text": _("Message: text (subject and body)"),
    "message.upset": _("Coach: customer upset"),
    "message.threat": _("Coach: customer threatens to escalate"),
    "message.sentiment": _("Coach: sentiment"),
    "event.sla_target": _("Event: SLA target"),
    "event.csat": _("Event: CSAT score"),
    "time.business_hours": _("Time: within business hours"),
}


def case_facts(
    case: Case,
    *,
    at: datetime,
    message: Message | None = None,
    context: Mapping[str, object] | None = None,
    needed: set[str] | None = None,
) -> dict[str, object]:
    """The values rules read about ``case`` at ``at`` (``message``: the event's
    message, if any). ``needed`` limits the costlier facts (business hours, the
    latest message) to rules that read them."""
    context = context or {}
    organisation = case.organisation
    contact = case.contact
    facts: dict[str, object] = {
        "case.subject": case.subject,
        "case.status": case.status,
        "case.priority": case.priority,
        "case.category": case.category,
        "case.channel": case.channel,
        "case.tags": list(case.tags or []),
        "case.team": case.team_id,
        "case.department": case.department_id,
        "case.owner": case.owner_id,
        "case.is_confidential": case.is_confidential,
        "case.is_over_heads": case.is_over_heads,
        "case.customer_upset": case.customer_upset,
        "case.escalation_risk": case.escalation_risk,
        "case.escalation_level": case.escalation_level,
        "case.breach_count": case.breach_count,
        "contact.name": contact.name,
        "contact.email": contact.email,
        "contact.language": contact.language,
        "organisation.name": organisation.name if organisation else None,
        "organisation.tier": organisation.tier if organisation else None,
        "organisation.region": organisation.region if organisation else None,
        "organisation.tags": list(organisation.tags or []) if organisation else [],
        "event.sla_target": context.get("target"),
        "event.csat": context.get("score"),
    }
    wants = needed if needed is not None else set(FIELDS)
    if message is None and wants & {"message.text", "message.upset", "message.threat"}:
        message = (
            Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
            .order_by("-created_at", "-pk")
            .first()
        )
    if message is not None:
        facts["message.text"] = f"{case.subject}\n{message.body}"
        facts["message.upset"] = message.upset
        facts["message.threat"] = message.threat
        facts["message.sentiment"] = message.sentiment
    else:
        facts["message.text"] = case.subject
    if "time.business_hours" in wants:
        facts["time.business_hours"] = team_calendar(case.team).is_working_time(at)
    return facts
