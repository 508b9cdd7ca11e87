"""What a signed-in customer writes: a reply on their case, a new case.

Both go through the desk's own services (``message_receive``, ``case_open``),
so a portal message is the customer's inbound message like a mail: the coach
reads it, the SLA clocks react, the case hooks fire.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Message
from kefu.cases.services import IncomingAttachment, case_open, message_receive
from kefu.core.errors import DomainError
from kefu.customers.models import Contact
from kefu.portal.errors import PortalErrorCode

MAX_FILES = 5
# A portal message is stored on the channel the desk answers it on.
_ANSWERED_BY = ("email", "sms", "chat", "wechat")


def _check(body: str, files: Sequence[IncomingAttachment]) -> str:
    text = body.strip()
    if not text and not files:
        raise DomainError(PortalErrorCode.EMPTY_MESSAGE, _("Write a message or attach a file."))
    if len(files) > MAX_FILES:
        raise DomainError(
            PortalErrorCode.BAD_FILE,
            _("A message can carry at most %(limit)s files."),
            limit=MAX_FILES,
        )
    limit: int = settings.KEFU_MAX_ATTACHMENT_BYTES
    for item in files:
        if len(item.content) > limit:
            raise DomainError(
                PortalErrorCode.BAD_FILE,
                _("“%(name)s” is too large; a file can be at most %(limit)s."),
                name=item.filename,
                limit=filesizeformat(limit),
            )
    return text or str(_("(file attached)"))


def _channel_for(contact: Contact, case: Case | None) -> str:
    if case is not None and case.channel in _ANSWERED_BY:
        return case.channel
    return "email" if contact.email else "sms"


def portal_reply(
    *,
    contact: Contact,
    case: Case,
    body: str,
    at: datetime,
    files: Sequence[IncomingAttachment] = (),
) -> Message:
    """Store ``contact``'s reply (and files) on ``case`` as their inbound message.

    The caller has checked that ``contact`` may see ``case`` (``access_portal_case``).
    A resolved or closed case opens again, as for a mail.
    """
    text = _check(body, files)
    return message_receive(
        case=case,
        contact=contact,
        body=text,
        channel=_channel_for(contact, case),
        at=at,
        attachments=files,
    )


def portal_case_open(
    *,
    contact: Contact,
    subject: str,
    body: str,
    category: str,
    at: datetime,
    files: Sequence[IncomingAttachment] = (),
) -> Case:
    """Open a case for ``contact`` from the portal, in ``category``."""
    if category not in Case.Category.values:
        raise DomainError(PortalErrorCode.BAD_CATEGORY, _("Choose a category from the list."))
    if not subject.strip():
        raise DomainError(PortalErrorCode.EMPTY_MESSAGE, _("Give your request a short title."))
    text = _check(body, files)
    return case_open(
        actor=None,
        contact=contact,
        subject=subject,
        body=text,
        channel=_channel_for(contact, None),
        at=at,
        category=category,
        attachments=files,
    )
