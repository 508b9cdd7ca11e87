"""Template SMS through Aliyun and Tencent Cloud, against local fakes of their APIs.

The fakes check each request's signature (ACS3-HMAC-SHA256, TC3-HMAC-SHA256)
with the test secret and answer in the providers' formats and error codes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from pytest_django import Settings

from kefu.cases.delivery import DeliveryError, FailureCode, failure_text
from kefu.cases.models import Message
from kefu.cases.services import customer_notice
from kefu.cases.tasks import deliver_message
from kefu.channels.models import SmsTemplate
from kefu.channels.notice_links import notice_url
from kefu.channels.services_sms import SmsTemplateInvalidError, sms_template_check
from kefu.channels.sms_aliyun import aliyun_number
from kefu.channels.sms_providers import ALIYUN, TENCENT, classify
from kefu.core.models import User
from kefu.incidents import services as incidents
from kefu.incidents.models import Delivery
from tests.channels import sms_fakes
from tests.channels.builders import make_contact, open_case
from tests.channels.sms_fakes import FakeSms
from tests.incidents.builders import NOW, make_customer, make_incident
from tests.incidents.builders import make_contact as make_incident_contact

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db

ALIYUN_CODES = {"reply_waiting": "SMS_460001", "incident_first_notice": "SMS_460002"}
TENCENT_IDS = {"reply_waiting": "2160001", "incident_first_notice": "2160002"}
LINK = re.compile(r"https://kefu\.test/n/([^/]+)/")


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    # The SDKs stamp their signatures with the clock; the tests stand at one instant.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _templates(settings: Settings) -> None:
    settings.SITE_URL = "https://kefu.test"
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for purpose, code in ALIYUN_CODES.items():
        SmsTemplate.objects.filter(purpose=purpose).update(
            aliyun_template_code=code, tencent_template_id=TENCENT_IDS[purpose]
        )


@pytest.fixture
def aliyun(settings: Settings) -> Iterator[FakeSms]:
    variables = {code: ["ref", "link"] for code in ALIYUN_CODES.values()}
    with sms_fakes.aliyun_fake(variables) as fake:
        settings.KEFU_SMS_PROVIDER = "aliyun"
        settings.KEFU_ALIYUN_SMS_ENDPOINT = fake.url
        settings.KEFU_ALIYUN_ACCESS_KEY_ID = sms_fakes.ALIYUN_KEY_ID
        settings.KEFU_ALIYUN_ACCESS_KEY_SECRET = sms_fakes.ALIYUN_SECRET
        settings.KEFU_ALIYUN_SMS_SIGN_NAME = sms_fakes.ALIYUN_SIGN
        yield fake


@pytest.fixture
def tencent(settings: Settings) -> Iterator[FakeSms]:
    variables = {code: ["ref", "link"] for code in TENCENT_IDS.values()}
    with sms_fakes.tencent_fake(variables) as fake:
        settings.KEFU_SMS_PROVIDER = "tencent"
        settings.KEFU_TENCENT_SMS_ENDPOINT = fake.url
        settings.KEFU_TENCENT_SECRET_ID = sms_fakes.TENCENT_SECRET_ID
        settings.KEFU_TENCENT_SECRET_KEY = sms_fakes.TENCENT_SECRET_KEY
        settings.KEFU_TENCENT_SMS_SDK_APP_ID = sms_fakes.TENCENT_APP_ID
        settings.KEFU_TENCENT_SMS_SIGN_NAME = sms_fakes.TENCENT_SIGN
        yield fake


@pytest.fixture(params=["aliyun", "tencent"])
def provider(request: pytest.FixtureRequest) -> FakeSms:
    fake: FakeSms = request.getfixturevalue(request.param)
    return fake


def _reply(phone: str = "138 0013 8000", language: str = "zh-hans") -> Message:
    contact = make_contact(phone=phone)
    contact.language = language
    contact.save(update_fields=["language"])
    case = open_case(contact=contact, channel="phone")
    (message,) = customer_notice(
        case=case, body="师傅明早九点到，请留人开门。", at=NOW, author=None, prefer="sms"
    )
    return message


def _params(fake: FakeSms, settings: Settings) -> tuple[str, str, dict[str, str], str]:
    """(number, template, variables, dedupe key) of the fake's last accepted send."""
    sent = fake.sent[-1]
    if settings.KEFU_SMS_PROVIDER == "aliyun":
        variables = json.loads(sent["TemplateParam"])
        return sent["PhoneNumbers"], sent["TemplateCode"], variables, sent["OutId"]
    ref, link = sent["TemplateParamSet"]
    return (
        sent["PhoneNumberSet"][0],
        sent["TemplateId"],
        {"ref": ref, "link": link},
        sent["SessionContext"],
    )


# --- a reply on a case ---


def test_aliyun_sends_the_reply_template_with_its_variables(aliyun: FakeSms) -> None:
    message = _reply()

    assert deliver_message.call(message_id=message.pk) == "sent"

    message.refresh_from_db()
    sent = aliyun.sent[0]
    assert sent["PhoneNumbers"] == "13800138000"
    assert sent["SignName"] == "筑家服务"
    assert sent["TemplateCode"] == "SMS_460001"
    assert sent["OutId"] == f"message-{message.pk}"
    variables = json.loads(sent["TemplateParam"])
    assert variables["ref"] == message.case.reference
    assert LINK.fullmatch(variables["link"])
    assert message.external_id is not None
    assert message.external_id.startswith("sms:aliyun:")
    assert aliyun.refused_signatures == 0


def test_tencent_sends_the_reply_template_with_its_variables_in_order(tencent: FakeSms) -> None:
    message = _reply(phone="+86 138-0013-8000")

    assert deliver_message.call(message_id=message.pk) == "sent"

    message.refresh_from_db()
    sent = tencent.sent[0]
    assert sent["PhoneNumberSet"] == ["+8613800138000"]
    assert (sent["SmsSdkAppId"], sent["SignName"]) == ("1400000001", "筑家服务")
    assert sent["TemplateId"] == "2160001"
    assert sent["TemplateParamSet"][0] == message.case.reference
    assert LINK.fullmatch(sent["TemplateParamSet"][1])
    assert sent["SessionContext"] == f"message-{message.pk}"
    assert message.external_id is not None
    assert message.external_id.startswith("sms:tencent:2028:")


def test_the_reply_link_opens_the_whole_reply(
    provider: FakeSms, settings: Settings, client: Client
) -> None:
    message = _reply()
    deliver_message.call(message_id=message.pk)
    _number, _template, variables, _key = _params(provider, settings)

    page = client.get(variables["link"].removeprefix("https://kefu.test"))

    assert page.status_code == 200
    assert "师傅明早九点到，请留人开门。" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


# --- an incident's first notice ---


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_incidents_first_notice_reaches_an_sms_contact_with_template_and_link(
    provider: FakeSms,
    settings: Settings,
    lead: User,
    client: Client,
    language: str,
    django_capture_on_commit_callbacks: Commits,
) -> None:
    org = make_customer()
    contact = make_incident_contact(
        org, phone="0086 139 1234 5678", channels=["sms"], language=language
    )
    incident = make_incident(lead)
    incidents.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        incidents.incident_confirm(actor=lead, incident=incident, at=NOW)

    row = Delivery.objects.get(channel="sms")
    assert (row.status, row.last_error) == ("sent", "")
    number, template, variables, key = _params(provider, settings)
    provider_name = settings.KEFU_SMS_PROVIDER
    assert number == ("13912345678" if provider_name == "aliyun" else "+8613912345678")
    codes = ALIYUN_CODES if provider_name == "aliyun" else TENCENT_IDS
    assert template == codes["incident_first_notice"]
    assert variables["ref"] == incident.reference
    assert key == row.key
    assert row.external_id.startswith(f"sms:{provider_name}:")
    page = client.get(variables["link"].removeprefix("https://kefu.test"))
    text = page.content.decode()
    assert page.status_code == 200
    assert incident.reference in text
    # The whole notice, in the contact's language.
    notice = row.notice
    assert notice.body_in(language).splitlines()[0] in text
    if language == "en":
        assert "Reference" in text


# --- no template, provider errors, retries ---


def test_a_purpose_with_no_template_is_a_permanent_failure_naming_it(aliyun: FakeSms) -> None:
    SmsTemplate.objects.filter(purpose="reply_waiting").update(aliyun_template_code="")
    message = _reply()

    assert deliver_message.call(message_id=message.pk) == "failed"

    message.refresh_from_db()
    assert message.delivery_status == "failed"
    assert message.delivery_error_code == FailureCode.NO_TEMPLATE
    assert "(reply_waiting)" in message.delivery_error
    # Never free text, never anything at all.
    assert aliyun.received == []
    with translation.override("en"):
        assert "No approved SMS template" in failure_text(
            message.delivery_error_code, channel="SMS", attempts=1
        )


def test_an_incident_notice_with_no_template_fails_naming_the_purpose_and_falls_back(
    tencent: FakeSms, lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    SmsTemplate.objects.filter(purpose="incident_first_notice").update(tencent_template_id="")
    org = make_customer()
    contact = make_incident_contact(
        org, phone="13912345678", email="li@example.cn", channels=["sms", "email"]
    )
    incident = make_incident(lead)
    incidents.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        incidents.incident_confirm(actor=lead, incident=incident, at=NOW)

    sms = Delivery.objects.get(channel="sms")
    assert sms.status == "failed"
    assert "incident_first_notice" in sms.last_error
    assert Delivery.objects.get(channel="email").status == "sent"
    assert tencent.received == []


@pytest.mark.parametrize(
    ("fake", "code", "failure", "permanent"),
    [
        ("aliyun", "isv.BUSINESS_LIMIT_CONTROL", FailureCode.LIMITED, False),
        ("aliyun", "isv.MOBILE_NUMBER_ILLEGAL", FailureCode.REFUSED, True),
        ("aliyun", "isv.SMS_TEMPLATE_ILLEGAL", FailureCode.TEMPLATE_REJECTED, True),
        ("tencent", "LimitExceeded.PhoneNumberDailyLimit", FailureCode.LIMITED, False),
        ("tencent", "InvalidParameterValue.IncorrectPhoneNumber", FailureCode.REFUSED, True),
        (
            "tencent",
            "FailedOperation.TemplateIncorrectOrUnapproved",
            FailureCode.TEMPLATE_REJECTED,
            True,
        ),
    ],
)
def test_provider_errors_map_to_retry_or_permanent_keeping_the_providers_code(
    request: pytest.FixtureRequest, fake: str, code: str, failure: str, permanent: bool
) -> None:
    provider: FakeSms = request.getfixturevalue(fake)
    provider.force = [code]
    message = _reply()

    if permanent:
        assert deliver_message.call(message_id=message.pk) == "failed"
    else:
        with pytest.raises(DeliveryError):
            deliver_message.call(message_id=message.pk)

    message.refresh_from_db()
    assert message.delivery_status == ("failed" if permanent else "queued")
    assert message.delivery_error_code == failure
    assert code in message.delivery_error
    assert provider.sent == []


def test_a_retry_carries_the_same_out_id_and_sends_once(
    provider: FakeSms, settings: Settings
) -> None:
    code = "isv.BUSINESS_LIMIT_CONTROL"
    if settings.KEFU_SMS_PROVIDER == "tencent":
        code = "LimitExceeded.PhoneNumberDailyLimit"
    provider.force = [code]
    message = _reply()
    with pytest.raises(DeliveryError):
        deliver_message.call(message_id=message.pk)

    # The redelivery job sends it again; a second run of the same task sends nothing.
    assert deliver_message.call(message_id=message.pk) == "sent"
    assert deliver_message.call(message_id=message.pk) == "skipped"

    keys = [r.get("OutId") or r.get("SessionContext") for r in provider.received]
    assert keys == [f"message-{message.pk}", f"message-{message.pk}"]
    assert len(provider.sent) == 1


def test_a_provider_that_is_down_delays_the_message(aliyun: FakeSms, settings: Settings) -> None:
    settings.KEFU_ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9"  # discard port: nothing listens
    message = _reply()

    with pytest.raises(DeliveryError):
        deliver_message.call(message_id=message.pk)

    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_error_code) == ("queued", "unavailable")


def test_a_wrong_secret_is_refused_by_the_signature_check_as_a_setup_problem(
    tencent: FakeSms, settings: Settings
) -> None:
    settings.KEFU_TENCENT_SECRET_KEY = "not-the-key"
    message = _reply()

    assert deliver_message.call(message_id=message.pk) == "failed"

    message.refresh_from_db()
    assert message.delivery_error_code == FailureCode.NOT_CONFIGURED
    assert "AuthFailure.SignatureFailure" in message.delivery_error
    assert tencent.refused_signatures == 1


def test_a_service_number_cannot_take_an_sms(aliyun: FakeSms) -> None:
    message = _reply(phone="95588")

    assert deliver_message.call(message_id=message.pk) == "failed"

    message.refresh_from_db()
    assert message.delivery_error_code == FailureCode.REFUSED
    assert aliyun.received == []


def test_the_http_gateway_stays_the_default(settings: Settings) -> None:
    assert settings.KEFU_SMS_PROVIDER == "http"


# --- the full-notice page ---


def test_an_expired_link_says_so_politely_in_the_contacts_language(
    aliyun: FakeSms, client: Client
) -> None:
    message = _reply(language="en")
    contact = message.contact or message.case.contact
    path = notice_url(source=f"message:{message.pk}", contact_id=contact.pk).removeprefix(
        "https://kefu.test"
    )

    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        page = client.get(path)

    assert page.status_code == 410
    text = page.content.decode()
    assert "This link has expired" in text
    assert "师傅" not in text


def test_a_link_shows_nothing_of_another_contact(aliyun: FakeSms, client: Client) -> None:
    message = _reply()
    other = make_contact(phone="13700000000")
    forged = notice_url(source=f"message:{message.pk}", contact_id=other.pk)
    tampered = notice_url(
        source=f"message:{message.pk}", contact_id=(message.contact or message.case.contact).pk
    )

    for link in (forged, tampered[:-3] + "xx/"):
        page = client.get(link.removeprefix("https://kefu.test"))
        assert page.status_code == 404
        assert "师傅" not in page.content.decode()


# --- the pure parts ---


def test_unknown_codes_retry_only_when_the_provider_says_so() -> None:
    assert classify(ALIYUN, "isp.SOMETHING_NEW").permanent is False
    assert classify(TENCENT, "InternalError.Unknown").permanent is False
    assert classify(TENCENT, "LimitExceeded.Whatever").failure == "limited"
    assert classify(ALIYUN, "isv.SOMETHING_NEW").permanent is True


def test_aliyun_takes_mainland_numbers_as_eleven_digits() -> None:
    assert aliyun_number("+8613800138000") == "13800138000"
    assert aliyun_number("+85261234567") == "85261234567"


def test_a_template_must_use_each_variable_and_no_other() -> None:
    assert sms_template_check(
        variables=["ref", " link"], text_zh="工单${ref}：${link}", codes=["SMS_1", "1"]
    ) == ["ref", "link"]
    with pytest.raises(SmsTemplateInvalidError) as missing:
        sms_template_check(variables=["ref"], text_zh="工单${ref}：${link}", codes=[])
    assert missing.value.field == "text_zh"
    with pytest.raises(SmsTemplateInvalidError) as unused:
        sms_template_check(variables=["ref", "link"], text_zh="工单${ref}", codes=[])
    assert unused.value.field == "text_zh"
    with pytest.raises(SmsTemplateInvalidError) as bad:
        sms_template_check(variables=["Ref!"], text_zh="${Ref!}", codes=[])
    assert bad.value.field == "variables"


def test_every_purpose_is_seeded_with_its_approved_text() -> None:
    rows = {t.purpose: t for t in SmsTemplate.objects.all()}
    assert set(rows) == {
        "reply_waiting",
        "incident_first_notice",
        "incident_update",
        "resumption_notice",
        "commitment_reminder",
        "survey_invitation",
        "portal_sign_in_code",
    }
    assert rows["portal_sign_in_code"].variables == ["code"]
    for template in rows.values():
        for name in template.variables:
            assert f"${{{name}}}" in template.text_zh


def test_the_incidents_delivery_list_shows_the_sms_template_and_status(
    provider: FakeSms,
    settings: Settings,
    lead: User,
    client: Client,
    django_capture_on_commit_callbacks: Commits,
) -> None:
    org = make_customer()
    contact = make_incident_contact(org, phone="13912345678", channels=["sms"])
    incident = make_incident(lead)
    incidents.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        incidents.incident_confirm(actor=lead, incident=incident, at=NOW)
    lead.language = "en"
    lead.save(update_fields=["language"])
    client.force_login(lead)

    page = client.get(f"/incidents/{incident.pk}/grid")

    text = page.content.decode()
    codes = ALIYUN_CODES if settings.KEFU_SMS_PROVIDER == "aliyun" else TENCENT_IDS
    assert page.status_code == 200
    assert f"Template {codes['incident_first_notice']} · Incident first notice" in text
    assert "Sent" in text


def test_an_incident_notice_held_back_by_the_provider_waits_and_is_sent_once_later(
    aliyun: FakeSms, lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    aliyun.force = ["isv.BUSINESS_LIMIT_CONTROL"]
    org = make_customer()
    contact = make_incident_contact(org, phone="13912345678", channels=["sms"])
    incident = make_incident(lead)
    incidents.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        incidents.incident_confirm(actor=lead, incident=incident, at=NOW)

    row = Delivery.objects.get(channel="sms")
    assert row.status == "queued"
    assert row.next_attempt_at > NOW
    assert "isv.BUSINESS_LIMIT_CONTROL" in row.last_error
    report = incidents.deliveries_send_due(now=row.next_attempt_at)

    row.refresh_from_db()
    assert (report.sent, row.status, row.last_error) == (1, "sent", "")
    assert [r["OutId"] for r in aliyun.received] == [row.key, row.key]
    assert len(aliyun.sent) == 1
