"""Sending a sign-in code: by e-mail through Django's mail (as the desk sends), by SMS
through the configured provider (``KEFU_SMS_PROVIDER``).

With the free-text gateway (``http``) or the development outbox the SMS is the
sentence itself; Aliyun and Tencent Cloud send only approved templates, so the
code goes as the variable ``code`` of the template of the purpose
``portal_sign_in_code`` (the SMS template registry, docs/channels.md).
A failure is logged, never shown: the page reads the same whether a code went.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.cases.delivery import DeliveryError, Notice, notice_sender_for
from kefu.channels.dev_outbox import outbox_record, uses_outbox
from kefu.channels.models import SmsPurpose
from kefu.channels.sms_aliyun import aliyun_send
from kefu.channels.sms_templates import mobile_e164, sms_templated
from kefu.channels.sms_tencent import tencent_send
from kefu.customers.models import Contact
from kefu.portal.services_signin import CODE_MINUTES, CodeRequest

logger = logging.getLogger(__name__)


def _text(code: str) -> str:
    return _(
        "Your sign-in code for the customer portal is %(code)s. It works once, for "
        "%(minutes)s minutes. If you did not ask for it, ignore this message."
    ) % {"code": code, "minutes": CODE_MINUTES}


def code_send(request: CodeRequest) -> None:
    """Send ``request.code`` to its address in the contact's language; nothing when the
    address is nobody's. Failures are logged (with the channel, never the code)."""
    contact = request.contact
    if contact is None:
        return
    with translation.override(contact.language):
        try:
            if request.channel == "email":
                _send_email(contact, request)
            else:
                _send_sms(contact, request)
        except (DeliveryError, OSError) as exc:
            logger.warning(
                "portal sign-in code to contact %s by %s failed: %s",
                contact.pk,
                request.channel,
                exc,
            )


def _send_email(contact: Contact, request: CodeRequest) -> None:
    send_mail(
        subject=_("Your sign-in code: %(code)s") % {"code": request.code},
        message=_text(request.code),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.address],
    )


def _send_sms(contact: Contact, request: CodeRequest) -> None:
    provider = str(settings.KEFU_SMS_PROVIDER)
    key = f"portal-code-{contact.pk}-{request.code}"
    if uses_outbox():
        outbox_record(
            channel="sms", to=request.address, subject="", body=_text(request.code), reference=""
        )
        return
    if provider in ("aliyun", "tencent"):
        sms = sms_templated(
            provider=provider,
            purpose=SmsPurpose.PORTAL_SIGN_IN_CODE,
            values={"code": request.code},
            key=key,
        )
        e164 = mobile_e164(request.address)
        if provider == "aliyun":
            aliyun_send(sms, e164=e164)
        else:
            tencent_send(sms, e164=e164)
        return
    sender = notice_sender_for("sms")
    if sender is None:
        raise DeliveryError("no SMS sender is registered", permanent=True)
    # The gateway sends to the contact's stored number, which the code was asked for.
    sender(
        Notice(
            contact=contact,
            subject="",
            body=_text(request.code),
            reference="",
            key=key,
            purpose=SmsPurpose.PORTAL_SIGN_IN_CODE,
        )
    )
