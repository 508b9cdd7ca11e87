"""GET /api/v1/channels/sms-templates: the registry as staff read it, role by role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import Settings

from kefu.channels.models import SmsTemplate
from kefu.core.models import User
from kefu.core.roles import Role
from tests.conftest import MakeUser

BearerFor = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db
URL = "/api/v1/channels/sms-templates"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 401),
        (Role.AGENT, 200),
        (Role.TEAM_LEAD, 200),
        (Role.DEPARTMENT_MANAGER, 200),
        (Role.QA_INSPECTOR, 403),
        (Role.REALTIME_ANALYST, 403),
    ],
)
def test_staff_who_work_cases_may_read_the_templates(
    client: Client, make_user: MakeUser, bearer_for: BearerFor, role: str | None, status: int
) -> None:
    headers = bearer_for(make_user(role)) if role else {}

    response = client.get(URL, headers=headers)

    assert response.status_code == status


def test_each_purpose_reads_with_its_preview_and_whether_it_can_go_out(
    client: Client, agent: User, bearer_for: BearerFor, settings: Settings
) -> None:
    settings.KEFU_SMS_PROVIDER = "aliyun"
    SmsTemplate.objects.filter(purpose="reply_waiting").update(aliyun_template_code="SMS_1")
    agent.language = "en"
    agent.save(update_fields=["language"])

    body = client.get(URL, headers=bearer_for(agent)).json()

    by_purpose = {t["purpose"]: t for t in body}
    assert len(by_purpose) == 7
    reply = by_purpose["reply_waiting"]
    assert reply["label"] == "Reply waiting"
    assert reply["variables"] == ["ref", "link"]
    assert reply["is_ready"] is True
    assert "${" not in reply["preview"]
    assert by_purpose["incident_first_notice"]["is_ready"] is False
