"""The ``wechat`` channel out, on the account the customer wrote on last.

A contact's WeChat identities are of two kinds: WeChat Customer Service (kf,
answered by ``cgi-bin/kf/send_msg``) and the Official Account (mp, answered
by ``cgi-bin/message/custom/send``, see ``wechat_mp_send``). The identity the
customer wrote on last picks the account a reply goes out on.

WeChat lets an account answer a customer for 48 hours after the customer's
last message; a kf account at most five messages in that time. kefu tracks
the window per WeChat identity: ``last_inbound_at`` and ``window_sent``,
which each send takes a slot of by a compare-and-swap UPDATE before calling
WeChat (given back when WeChat refuses), so two workers sending at once never
send a sixth. On kf, with the window closed the contact is not reachable on
WeChat (a reply goes on their next preferred channel) and a message already
queued is refused permanently with ``window_closed``. On the Official
Account, outside the window a configured template message carries a short
text and a link to the full notice.

Each send carries a ``msgid`` derived from the kefu message, and kefu keeps
the ids it has sent: a resend after a crash is recognised and not sent again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
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
    def limit(self) -> int | None:
        """At most this many messages in the window (kf); None: no count (Official Account)."""
        return WINDOW_MESSAGES if self.identity.kind == WechatIdentity.Kind.KF else None

    @property
    def remaining(self) -> int:
        limit = self.limit
        return max(limit - self.sent, 0) if limit is not None else 1

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
    return WechatWindow(
        identity=identity,
        closes_at=identity.last_inbound_at + WINDOW,
        sent=identity.window_sent,
    )


def window_take_slot(window: WechatWindow) -> bool:
    """Take one message of the window, if it still has one: a compare-and-swap on the
    window read (same customer message, fewer than the limit sent), so a worker
    holding a stale window cannot send past the limit."""
    rows = WechatIdentity.objects.filter(
        pk=window.identity.pk, last_inbound_at=window.identity.last_inbound_at
    )
    if window.limit is not None:
        rows = rows.filter(window_sent__lt=window.limit)
    return rows.update(window_sent=F("window_sent") + 1) == 1


def window_give_back(window: WechatWindow) -> None:
    """Give back a slot taken for a message WeChat did not send."""
    WechatIdentity.objects.filter(
        pk=window.identity.pk, last_inbound_at=window.identity.last_inbound_at, window_sent__gt=0
    ).update(window_sent=F("window_sent") - 1)


def _open_window_slot(contact: Contact, now: datetime) -> WechatWindow | None:
    """A slot of the contact's open window, taken; None when the window is closed.
    Read again when the customer wrote in between (a new window)."""
    for _attempt in range(3):
        window = wechat_window(contact)
        if window is None or not window.is_open(now):
            return None
        if window_take_slot(window):
            return window
        fresh = wechat_window(contact)
        if fresh is None or fresh.identity.last_inbound_at == window.identity.last_inbound_at:
            return None  # the limit was reached by another send
    return None


def has_open_window(contact: Contact) -> bool:
    """Whether a WeChat message can reach the contact now (on the Official Account,
    outside the window too when a template message is set up)."""
    from kefu.channels import wechat_mp_send

    window = wechat_window(contact)
    if window is None:
        return False
    if window.identity.kind == WechatIdentity.Kind.MP:
        return wechat_mp_send.reachable(window, now=timezone.now())
    return is_configured() and window.is_open(timezone.now())


def send_wechat(message: Message) -> str:
    """Send ``message`` on the contact's WeChat account; ``wecom:<msgid>`` (kf) or
    ``wxmp:<msgid>`` (Official Account)."""
    from kefu.channels import wechat_mp_send
    from kefu.channels.notice_links import MESSAGE

    contact = message.contact or message.case.contact
    msgid = f"kefu-{message.pk}"
    if _latest_kind(contact) == WechatIdentity.Kind.MP:
        return wechat_mp_send.mp_send(
            contact,
            text=message.body,
            msgid=msgid,
            purpose=message.purpose,
            reference=message.case.reference,
            link_source=f"{MESSAGE}:{message.pk}",
        )
    return _send(contact, text=message.body, msgid=msgid)


def send_wechat_notice(notice: Notice) -> str:
    """Send a notice that belongs to no case on the contact's WeChat account."""
    from kefu.channels import wechat_mp_send

    digest = hashlib.sha256(notice.key.encode("utf-8")).hexdigest()[:26]
    msgid = f"kefu-{digest}"
    if _latest_kind(notice.contact) == WechatIdentity.Kind.MP:
        return wechat_mp_send.mp_send(
            notice.contact,
            text=notice.body,
            msgid=msgid,
            purpose=notice.purpose,
            reference=notice.reference,
            link=notice.link,
            link_source=notice.source,
        )
    text = f"{notice.body}\n{notice.link}" if notice.link else notice.body
    return _send(notice.contact, text=text, msgid=msgid)


def _latest_kind(contact: Contact) -> str:
    window = wechat_window(contact)
    return window.identity.kind if window is not None else WechatIdentity.Kind.KF


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
    taken = _open_window_slot(contact, now)
    if taken is None:
        window = wechat_window(contact) or window
        raise DeliveryError(
            f"the WeChat window is closed ({window.sent} sent, closes at {window.closes_at})",
            permanent=True,
            code=FailureCode.WINDOW_CLOSED,
        )
    payload: dict[str, object] = {
        "touser": taken.identity.external_userid,
        "open_kfid": taken.identity.open_kfid,
        "msgid": msgid,
        "msgtype": "text",
        "text": {"content": text[:2048]},
    }
    try:
        answer = api_post("cgi-bin/kf/send_msg", payload)
    except WecomApiError as exc:
        window_give_back(taken)
        raise DeliveryError(str(exc), permanent=not exc.temporary) from exc
    wecom_msgid = str(answer.get("msgid") or msgid)[:200]
    WechatSent.objects.get_or_create(
        msgid=msgid,
        defaults={"identity": taken.identity, "wecom_msgid": wecom_msgid, "sent_at": now},
    )
    return f"wecom:{wecom_msgid}"
