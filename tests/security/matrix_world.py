"""The world the permission matrix runs in: one user of each role, one of each record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kefu.api import api
from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.incidents.services._common import survey_token as incident_survey_token
from kefu.quality.models import CsatSurvey
from kefu.quality.models_campaigns import CampaignFeature, CampaignInvitation, SurveyCampaign
from kefu.quality.services import survey_token
from kefu.quality.services.campaigns import invitation_token
from tests.cases.builders import make_contact, nine_to_six_team, open_case
from tests.core.factories import make_department, make_staff
from tests.incidents.builders import make_incident

# Columns of the expectation strings, in order.
COLUMNS = (
    "anonymous",
    Role.AGENT,
    Role.TEAM_LEAD,
    Role.QA_INSPECTOR,
    Role.REALTIME_ANALYST,
    Role.DEPARTMENT_MANAGER,
    Role.ADMINISTRATOR,
)
SKIPPED_PREFIXES = ("admin/", "api/v1/", "static/", "media/")


@dataclass
class World:
    users: dict[str, User]
    values: dict[str, object]


def build_world() -> World:
    department = make_department()
    team = nine_to_six_team(department)
    users = {
        str(role): make_staff(role=role, username=f"m.{role}", team=team, department=department)
        for role in Role
    }
    contact = make_contact()
    case: Case = open_case(when="2026-11-16 09:00", contact=contact, owner=users[Role.AGENT])
    incident = make_incident(users[Role.TEAM_LEAD])
    now = timezone.now()
    survey = CsatSurvey.objects.create(
        case=case, contact=contact, sent_at=now, expires_at=now + timedelta(days=7)
    )
    campaign = SurveyCampaign.objects.create(
        kind=SurveyCampaign.Kind.KANO,
        name="回访功能调查",
        status=SurveyCampaign.Status.OPEN,
        created_by=users[Role.DEPARTMENT_MANAGER],
        created_at=now,
        closes_at=now + timedelta(days=14),
    )
    CampaignFeature.objects.create(
        campaign=campaign,
        position=1,
        name="回访",
        functional_zh="如果提供回访，您觉得如何？",
        functional_en="If we call you back, how do you feel?",
        dysfunctional_zh="如果不提供回访，您觉得如何？",
        dysfunctional_en="If we do not call you back, how do you feel?",
    )
    invitation = CampaignInvitation.objects.create(campaign=campaign, contact=contact)
    values: dict[str, object] = {
        "case_id": case.pk,
        "contact_id": contact.pk,
        "organisation_id": contact.organisation_id,
        "incident_id": incident.pk,
        "user_id": users[Role.AGENT].pk,
        "reference": case.reference,
        "campaign_id": campaign.pk,
        "part@quality:campaign_csv": "answers",
        "token@quality:campaign_answer": invitation_token(invitation),
        "token@quality:survey": survey_token(survey),
        "token@incidents:survey": incident_survey_token(
            incident_id=incident.pk, contact_id=contact.pk
        ),
    }
    return World(users=users, values=values)


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def fill(template: str, values: dict[str, object], *, name: str = "") -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(
            values.get(f"{key}@{name}", values.get(key, 999999 if key.endswith("id") else "x"))
        )

    template = re.sub(r"\{(\w+)\}", value, template)
    return re.sub(r"<(?:\w+:)?(\w+)>", value, template)


def pages() -> list[tuple[str, str]]:
    """(url name, route template) of every page, from the URL resolver."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace or ""
                walk(entry.url_patterns, route, inner or namespace)
            else:
                found.append((f"{namespace}:{entry.name}".lstrip(":"), route))

    walk(get_resolver().url_patterns, "", "")
    return found
