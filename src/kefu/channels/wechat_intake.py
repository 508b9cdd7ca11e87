"""A WeChat user's message into the desk, for both WeChat channels.

WeChat Customer Service (``wecom_kf``, messages pulled by ``sync_msg``) and
the Official Account (``wechat_mp``, messages posted to its callback) read
their own wire formats, then hand one customer message here: the WeChat user
becomes or finds a contact with a ``wechat`` channel identity, their reply
window opens again, and the message continues the contact's open WeChat case
or opens a new one. Each message's ``external_id`` is stored once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction

from kefu.cases.models import Case, Message
from kefu.cases.services import IncomingAttachment, case_open, message_receive
from kefu.channels.contacts import _contact_create
from kefu.channels.email_in import follow_merges
from kefu.channels.models_wecom import WechatIdentity

_SUBJECT_LENGTH = 80


def is_stored(external_id: str) -> bool:
    """Whether a message with this channel id is on a case already (a repeat)."""
    return Message.objects.filter(external_id=external_id).exists()


def wechat_store(
    *,
    kind: str,
    account: str,
    userid: str,
    body: str,
    attachments: list[IncomingAttachment],
    external_id: str,
    sent_at: datetime,
    at: datetime,
    nickname: Callable[[], str],
) -> str:
    """Store one customer message; "stored", or "repeat" when another process stored
    the same ``external_id`` first. ``nickname`` is asked only for a new contact."""
    try:
        with transaction.atomic():
            identity = _identity(
                kind=kind, account=account, userid=userid, at=at, nickname=nickname
            )
            # The reply window opens again from the customer's latest message.
            WechatIdentity.objects.filter(pk=identity.pk).exclude(
                last_inbound_at__gte=sent_at
            ).update(last_inbound_at=sent_at, window_sent=0)
            _to_case(
                identity=identity,
                body=body,
                attachments=attachments,
                external_id=external_id,
                sent_at=sent_at,
            )
    except IntegrityError:
        if is_stored(external_id):
            return "repeat"
        raise
    return "stored"


def _to_case(
    *,
    identity: WechatIdentity,
    body: str,
    attachments: list[IncomingAttachment],
    external_id: str,
    sent_at: datetime,
) -> None:
    contact = identity.contact
    case = (
        Case.objects.filter(contact=contact, channel="wechat")
        .exclude(status__in=(Case.Status.RESOLVED, Case.Status.CLOSED))
        .order_by("-created_at", "-pk")
        .first()
    )
    case = follow_merges(case) if case is not None else None
    if case is not None and case.is_open:
        message_receive(
            case=case,
            contact=contact,
            body=body,
            channel="wechat",
            at=sent_at,
            external_id=external_id,
            attachments=attachments,
        )
        return
    first_line = body.strip().splitlines()[0] if body.strip() else ""
    case_open(
        actor=None,
        contact=contact,
        subject=first_line[:_SUBJECT_LENGTH],
        body=body,
        channel="wechat",
        at=sent_at,
        external_id=external_id,
        attachments=attachments,
    )


def _identity(
    *, kind: str, account: str, userid: str, at: datetime, nickname: Callable[[], str]
) -> WechatIdentity:
    identity = (
        WechatIdentity.objects.select_related("contact")
        .filter(kind=kind, open_kfid=account, external_userid=userid)
        .first()
    )
    if identity is not None:
        return identity
    # The same WeChat user on another account of the same kind is the same contact
    # (kf accounts of one corp share external_userid).
    sibling = (
        WechatIdentity.objects.select_related("contact")
        .filter(kind=kind, external_userid=userid)
        .first()
    )
    name = sibling.nickname if sibling else nickname()
    contact = (
        sibling.contact
        if sibling
        else _contact_create(
            at=at, source="wechat", name=name or f"wx-{userid[-8:]}", language="zh-hans"
        )
    )
    return WechatIdentity.objects.create(
        kind=kind,
        contact=contact,
        open_kfid=account,
        external_userid=userid,
        nickname=name[:100],
        created_at=at,
    )
