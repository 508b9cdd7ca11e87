"""Each outbound case message carries its purpose, and template SMS picks the
approved template of that purpose (a survey goes as the survey invitation)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import time_machine
from pytest_django import Settings

from kefu.cases.models import Case, Message
from kefu.cases.services import customer_notice
from kefu.cases.tasks import deliver_message
from kefu.channels.models import SmsTemplate
from kefu.quality.services.surveys import survey_send
from tests.channels import sms_fakes
from tests.channels.builders import make_contact, open_case
from tests.channels.sms_fakes import FakeSms
from tests.incidents.builders import NOW

pytestmark = pytest.mark.django_db

CODES = {
    "reply_waiting": "SMS_460001",
    "survey_invitation": "SMS_460006",
    "resumption_notice": "SMS_460004",
}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def aliyun(settings: Settings) -> Iterator[FakeSms]:
    settings.SITE_URL = "https://kefu.test"
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    for purpose, code in CODES.items():
        SmsTemplate.objects.filter(purpose=purpose).update(aliyun_template_code=code)
    with sms_fakes.aliyun_fake({code: ["ref", "link"] for code in CODES.values()}) as fake:
        settings.KEFU_SMS_PROVIDER = "aliyun"
        settings.KEFU_ALIYUN_SMS_ENDPOINT = fake.url
        settings.KEFU_ALIYUN_ACCESS_KEY_ID = sms_fakes.ALIYUN_KEY_ID
        settings.KEFU_ALIYUN_ACCESS_KEY_SECRET = sms_fakes.ALIYUN_SECRET
        settings.KEFU_ALIYUN_SMS_SIGN_NAME = sms_fakes.ALIYUN_SIGN
        yield fake


def _sms_case() -> Case:
    contact = make_contact(phone="138 0013 8000")
    # Quiet hours would hold the survey; none here.
    return open_case(contact=contact, channel="sms")


def test_a_reply_goes_as_the_reply_waiting_template(aliyun: FakeSms) -> None:
    case = _sms_case()
    (message,) = customer_notice(case=case, body="师傅明早到。", at=NOW, author=None)
    assert message.purpose == ""
    assert deliver_message.call(message_id=message.pk) == "sent"
    assert aliyun.sent[-1]["TemplateCode"] == "SMS_460001"


def test_a_message_with_a_purpose_goes_as_that_purposes_template(aliyun: FakeSms) -> None:
    case = _sms_case()
    (message,) = customer_notice(
        case=case,
        body="供水已恢复。",
        at=NOW,
        author=None,
        purpose="resumption_notice",
    )
    assert deliver_message.call(message_id=message.pk) == "sent"
    sent = aliyun.sent[-1]
    assert sent["TemplateCode"] == "SMS_460004"
    assert json.loads(sent["TemplateParam"])["ref"] == message.case.reference


def test_a_survey_goes_as_the_survey_invitation_template(aliyun: FakeSms) -> None:
    case = _sms_case()
    assert survey_send(case=case, at=NOW) is not None
    message = Message.objects.get(case=case, direction="out")
    assert message.purpose == "survey_invitation"
    if message.delivery_status == "queued":
        assert deliver_message.call(message_id=message.pk) == "sent"
    assert [s["TemplateCode"] for s in aliyun.sent] == ["SMS_460006"]


def test_a_purpose_without_a_template_fails_naming_it(aliyun: FakeSms) -> None:
    case = _sms_case()
    (message,) = customer_notice(
        case=case,
        body="请记得明天的预约。",
        at=NOW,
        author=None,
        purpose="commitment_reminder",
    )
    assert deliver_message.call(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.delivery_error_code == "no_template"
    assert "(commitment_reminder)" in message.delivery_error
    assert aliyun.sent == []
