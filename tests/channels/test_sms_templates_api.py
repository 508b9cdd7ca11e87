"""GET /api/v1/channels/sms-templates: the registry as staff read it, role by role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import Settings

from kefu.channels.models import SmsTemplate
from kefu.core.models import AuditEntry, User
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


def _admin_client(make_user: MakeUser, client_for: Callable[[User], Client]) -> Client:
    admin = make_user(Role.ADMINISTRATOR, username="admin.sms")
    admin.is_staff = True
    admin.is_superuser = True
    admin.language = "en"
    admin.save()
    return client_for(admin)


def test_an_administrator_enters_the_approved_codes_in_the_admin_audited(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    client = _admin_client(make_user, client_for)
    template = SmsTemplate.objects.get(purpose="incident_first_notice")
    url = f"/admin/channels/smstemplate/{template.pk}/change/"

    page = client.get(url)
    saved = client.post(
        url,
        {
            "aliyun_template_code": "SMS_460002",
            "tencent_template_id": "2160002",
            "variables_text": "ref, link",
            "text_zh": template.text_zh,
        },
    )

    assert page.status_code == 200
    assert template.text_zh.split("${")[0] in page.content.decode()
    assert saved.status_code == 302
    template.refresh_from_db()
    assert (template.aliyun_template_code, template.tencent_template_id) == (
        "SMS_460002",
        "2160002",
    )
    entry = AuditEntry.objects.get(action="channels.sms_template_changed")
    assert entry.after == {"aliyun_template_code": "SMS_460002", "tencent_template_id": "2160002"}


def test_a_template_whose_text_misses_a_variable_is_refused_keeping_what_was_typed(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    client = _admin_client(make_user, client_for)
    template = SmsTemplate.objects.get(purpose="reply_waiting")
    url = f"/admin/channels/smstemplate/{template.pk}/change/"

    refused = client.post(
        url,
        {
            "aliyun_template_code": "SMS_9",
            "tencent_template_id": "",
            "variables_text": "ref, link",
            "text_zh": "您的工单${ref}有新的消息",
        },
    )

    text = refused.content.decode()
    assert refused.status_code == 200
    assert "does not appear in the text" in text
    assert "SMS_9" in text
    template.refresh_from_db()
    assert template.aliyun_template_code == ""
    assert not AuditEntry.objects.filter(action="channels.sms_template_changed").exists()
