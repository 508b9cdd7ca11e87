"""WeChat Customer Service (微信客服) out: ``cgi-bin/kf/send_msg`` inside WeChat's window.

WeChat lets a kf account answer a customer for 48 hours after the
customer's last message, with at most five messages in that time. kefu
tracks the window per WeChat identity (``last_inbound_at`` and the
``WechatSent`` rows since then). With the window closed the contact is not
reachable on WeChat (so a reply goes on their next preferred channel), and
a message already queued is refused permanently with ``window_closed``.

Each send carries a ``msgid`` derived from the kefu message, and kefu keeps
the ids it has sent: a resend after a crash is recognised and not sent again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Message
from kefu.channels.models_wecom import WechatIdentity, WechatSent
from kefu.channels.wecom_api import WecomApiError, api_post, is_configured
from kefu.customers.models import Contact

WINDOW = timedelta(hours=48)
WINDOW_MESSAGES = 5


@dataclass(frozen=True)
class WechatWindow:
    """The reply window of the contact's latest WeChat conversation."""

    identity: WechatIdentity
    closes_at: datetime | None
    sent: int

    @property
    def remaining(self) -> int:
        return max(WINDOW_MESSAGES - self.sent, 0)

    def is_open(self, now: datetime) -> bool:
        return self.closes_at is not None and now < self.closes_at and self.remaining > 0


def wechat_window(contact: Contact) -> WechatWindow | None:
    """The window of the contact's WeChat identity the customer wrote on last (None: none)."""
    identity = (
        WechatIdentity.objects.filter(contact=contact, last_inbound_at__isnull=False)
        .order_by("-last_inbound_at", "-pk")
        .first()
    )
    if identity is None or identity.last_inbound_at is None:
        return None
    sent = WechatSent.objects.filter(
        identity=identity, sent_at__gte=identity.last_inbound_at
    ).count()
    return WechatWindow(identity=identity, closes_at=identity.last_inbound_at + WINDOW, sent=sent)


def has_open_window(contact: Contact) -> bool:
    """Whether a WeChat message can reach the contact now."""
    if not is_configured():
        return False
    window = wechat_window(contact)
    return window is not None and window.is_open(timezone.now())


def send_wechat(message: Message) -> str:
    """Send ``message`` by ``send_msg``; returns ``wecom:<msgid>``."""
    contact = message.contact or message.case.contact
    return _send(contact, text=message.body, msgid=f"kefu-{message.pk}")


def send_wechat_notice(notice: Notice) -> str:
    """Send a notice that belongs to no case inside the contact's window."""
    digest = hashlib.sha256(notice.key.encode("utf-8")).hexdigest()[:26]
    text = f"{notice.body}\n{notice.link}" if notice.link else notice.body
    return _send(notice.contact, text=text, msgid=f"kefu-{digest}")


def _send(contact: Contact, *, text: str, msgid: str) -> str:
    if not is_configured():
        raise DeliveryError(
            "KEFU_WECOM_CORP_ID and KEFU_WECOM_KF_SECRET must both be set",
            permanent=True,
            code=FailureCode.NOT_CONFIGURED,
        )
    earlier = WechatSent.objects.filter(msgid=msgid).first()
    if earlier is not None:
        # Sent before the worker stopped: never twice.
        return f"wecom:{earlier.wecom_msgid or msgid}"
    window = wechat_window(contact)
    if window is None:
        raise DeliveryError(
            "the contact has never written on WeChat", permanent=True, code=FailureCode.NO_ADDRESS
        )
    now = timezone.now()
    if not window.is_open(now):
        raise DeliveryError(
            f"the WeChat window is closed ({window.sent} sent, closes at {window.closes_at})",
            permanent=True,
            code=FailureCode.WINDOW_CLOSED,
        )
    payload: dict[str, object] = {
        "touser": window.identity.external_userid,
        "open_kfid": window.identity.open_kfid,
        "msgid": msgid,
        "msgtype": "text",
        "text": {"content": text[:2048]},
    }
    try:
        answer = api_post("cgi-bin/kf/send_msg", payload)
    except WecomApiError as exc:
        raise DeliveryError(str(exc), permanent=not exc.temporary) from exc
    wecom_msgid = str(answer.get("msgid") or msgid)[:200]
    WechatSent.objects.get_or_create(
        msgid=msgid,
        defaults={"identity": window.identity, "wecom_msgid": wecom_msgid, "sent_at": now},
    )
    return f"wecom:{wecom_msgid}"
