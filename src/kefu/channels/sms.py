"""Sending an outbound message as SMS, through the provider ``KEFU_SMS_PROVIDER`` names.

``http`` (the default): a gateway that takes ``{"to", "text", "reference"}`` as
JSON, optionally with ``Authorization: Bearer <key>``, and answers with its
message id (``id`` or ``message_id``).

``aliyun`` or ``tencent``: China's providers, which send only an approved
template (``sms_templates``): the message's purpose picks it, and its variables
are the reference and a short signed link to the whole text (``notice_links``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Message
from kefu.channels.http_post import post_json
from kefu.channels.models import SmsPurpose, SmsTemplate
from kefu.channels.notice_links import MESSAGE, notice_url
from kefu.channels.sms_aliyun import aliyun_send
from kefu.channels.sms_templates import mobile_e164, sms_templated
from kefu.channels.sms_tencent import tencent_send
from kefu.customers.models import Contact


def has_phone(contact: Contact) -> bool:
    """Whether the contact has a number an SMS can go to."""
    return bool(contact.phone)


def send_sms(message: Message) -> str:
    """Deliver ``message`` by SMS; returns ``sms:<gateway id>`` ("" if none was given)."""
    contact = message.contact or message.case.contact
    # The same key on every attempt: a resend after a worker died mid-send is recognisable.
    key = f"message-{message.pk}"
    if _provider() != "http":
        link = notice_url(source=f"{MESSAGE}:{message.pk}", contact_id=contact.pk)
        return _templated(
            contact,
            purpose=message.purpose or SmsPurpose.REPLY_WAITING,
            values={"ref": message.case.reference, "link": link},
            key=key,
        )
    return _post(contact, message.body, message.case.reference, key=key)


def send_sms_notice(notice: Notice) -> str:
    """Deliver a notice that belongs to no case by SMS; ``sms:<gateway id>``."""
    if _provider() != "http":
        link = notice.link
        if not link and notice.source:
            link = notice_url(source=notice.source, contact_id=notice.contact.pk)
        return _templated(
            notice.contact,
            purpose=notice.purpose,
            values={"ref": notice.reference, "link": link},
            key=notice.key,
        )
    return _post(notice.contact, notice.body, notice.reference, key=notice.key)


def sms_template_label(purpose: str) -> str:
    """The template an SMS for ``purpose`` goes out as ("SMS_460002 · 事件首次通知"), or
    why none can ("no template configured"); "" with the free-text gateway."""
    provider = _provider()
    if provider == "http":
        return ""
    template = SmsTemplate.objects.filter(purpose=purpose).first()
    code = template.code_for(provider) if template is not None else ""
    if template is None or not code:
        return str(_("%(purpose)s: no template configured") % {"purpose": _label(purpose)})
    return f"{code} · {_label(purpose)}"


def _label(purpose: str) -> str:
    try:
        return str(SmsPurpose(purpose).label)
    except ValueError:
        return purpose


def _provider() -> str:
    return str(settings.KEFU_SMS_PROVIDER)


def _templated(contact: Contact, *, purpose: str, values: dict[str, str], key: str) -> str:
    """Send the purpose's approved template through Aliyun or Tencent Cloud."""
    provider = _provider()
    e164 = mobile_e164(contact.phone)
    sms = sms_templated(provider=provider, purpose=purpose, values=values, key=key)
    if provider == "aliyun":
        return aliyun_send(sms, e164=e164)
    return tencent_send(sms, e164=e164)


def _post(contact: Contact, text: str, reference: str, key: str = "") -> str:
    url: str = settings.KEFU_SMS_GATEWAY_URL
    if not url:
        raise DeliveryError(
            "KEFU_SMS_GATEWAY_URL is not set", permanent=True, code=FailureCode.NOT_CONFIGURED
        )
    if not contact.phone:
        raise DeliveryError(
            "the contact has no phone number", permanent=True, code=FailureCode.NO_ADDRESS
        )
    api_key: str = settings.KEFU_SMS_GATEWAY_KEY
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    payload = {"to": contact.phone, "text": text, "reference": reference}
    if key:
        # Lets a gateway that deduplicates recognise a resend after a crash.
        payload["client_reference"] = key
    answer = post_json(url, payload, headers=headers)
    gateway_id = answer.get("id") or answer.get("message_id")
    # Prefixed: external ids are unique across every channel.
    return f"sms:{gateway_id}" if gateway_id else ""
