"""The WeChat Official Account (公众号) out: customer messages and template messages.

Inside the 48-hour window after the user's last message (or follow) a reply
goes by ``cgi-bin/message/custom/send`` as text. Outside it WeChat takes only
a template message (``cgi-bin/message/template/send``): the purpose's
configured template (``WechatMpTemplate``, set up in the admin) with its
fields filled (``{ref}``, ``{text}``) and a link to the full notice page. A
purpose with no template configured is a permanent ``window_closed``, so the
desk sends on the contact's next channel. WeChat answering 45015 (out of the
window) or 45047 (too many customer messages) to a custom message sends the
template message instead.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kefu.cases.delivery import DeliveryError, FailureCode
from kefu.channels.models_sms import SmsPurpose
from kefu.channels.models_wecom import WechatIdentity, WechatMpTemplate, WechatSent
from kefu.channels.notice_links import notice_url
from kefu.channels.wechat_mp import can_send
from kefu.channels.wecom_api import WECHAT_MP, WecomApiError, api_post
from kefu.channels.wecom_send import (
    WechatWindow,
    _open_window_slot,
    wechat_window,
    window_give_back,
)
from kefu.customers.models import Contact

# WeChat's answers meaning "not as a customer message now": send the template instead.
OUTSIDE_WINDOW_ERRCODES = frozenset({45015, 45047})
# The user unfollowed (43004) or is not this account's user (40003).
REFUSED_ERRCODES = frozenset({43004, 40003})
# A template field carries at most this much of the message (WeChat's "thing" fields: 20).
TEXT_MAX = 20


def reachable(window: WechatWindow, *, now: datetime) -> bool:
    """Whether a message can reach the user: inside the window, or by a template."""
    if not can_send():
        return False
    return window.is_open(now) or WechatMpTemplate.objects.exclude(template_id="").exists()


def mp_send(
    contact: Contact,
    *,
    text: str,
    msgid: str,
    purpose: str,
    reference: str,
    link: str = "",
    link_source: str = "",
) -> str:
    """Send to the contact's Official Account identity; ``wxmp:<msgid>``."""
    if not can_send():
        raise DeliveryError(
            "KEFU_WECHAT_MP_APP_ID and KEFU_WECHAT_MP_APP_SECRET must both be set",
            permanent=True,
            code=FailureCode.NOT_CONFIGURED,
        )
    if WechatSent.objects.filter(msgid=msgid).exists():
        # Sent before the worker stopped: never twice.
        return f"wxmp:{msgid}"
    window = wechat_window(contact)
    if window is None or window.identity.kind != WechatIdentity.Kind.MP:
        raise DeliveryError(
            "the contact has never written to the Official Account",
            permanent=True,
            code=FailureCode.NO_ADDRESS,
        )
    now = timezone.now()
    taken = _open_window_slot(contact, now)
    if taken is not None:
        payload: dict[str, object] = {
            "touser": taken.identity.external_userid,
            "msgtype": "text",
            "text": {"content": text[:2048]},
        }
        try:
            api_post("cgi-bin/message/custom/send", payload, api=WECHAT_MP)
        except WecomApiError as exc:
            window_give_back(taken)
            if exc.errcode not in OUTSIDE_WINDOW_ERRCODES:
                raise _failure(exc) from exc
        else:
            _record(taken.identity, msgid=msgid, wechat_msgid="", at=now)
            return f"wxmp:{msgid}"
    if not link and link_source:
        link = notice_url(source=link_source, contact_id=contact.pk)
    return _template_send(
        window.identity,
        text=text,
        msgid=msgid,
        purpose=purpose or SmsPurpose.REPLY_WAITING,
        reference=reference,
        link=link,
        at=now,
    )


def _failure(exc: WecomApiError) -> DeliveryError:
    if exc.errcode in REFUSED_ERRCODES:
        return DeliveryError(str(exc), permanent=True, code=FailureCode.REFUSED)
    return DeliveryError(str(exc), permanent=not exc.temporary)


def template_fields(template: WechatMpTemplate, *, text: str, reference: str) -> dict[str, object]:
    """The template's ``data``: each field's text with ``{ref}`` and ``{text}`` filled."""
    short = " ".join(text.split())
    if len(short) > TEXT_MAX:
        short = short[: TEXT_MAX - 1] + "…"
    data: dict[str, object] = {}
    fields = template.fields if isinstance(template.fields, dict) else {}
    for name, pattern in fields.items():
        value = str(pattern).replace("{ref}", reference).replace("{text}", short)
        data[str(name)] = {"value": value}
    return data


def _template_send(
    identity: WechatIdentity,
    *,
    text: str,
    msgid: str,
    purpose: str,
    reference: str,
    link: str,
    at: datetime,
) -> str:
    template = WechatMpTemplate.objects.filter(purpose=purpose).exclude(template_id="").first()
    if template is None:
        raise DeliveryError(
            f"the WeChat window is closed and no Official Account template message is set up "
            f"for the purpose {purpose}",
            permanent=True,
            code=FailureCode.WINDOW_CLOSED,
        )
    payload: dict[str, object] = {
        "touser": identity.external_userid,
        "template_id": template.template_id,
        "data": template_fields(template, text=text, reference=reference),
        # WeChat sends one message per openid and client_msg_id: a resend is not sent twice.
        "client_msg_id": msgid,
    }
    if link:
        payload["url"] = link
    try:
        answer = api_post("cgi-bin/message/template/send", payload, api=WECHAT_MP)
    except WecomApiError as exc:
        raise _failure(exc) from exc
    _record(identity, msgid=msgid, wechat_msgid=str(answer.get("msgid") or ""), at=at)
    return f"wxmp:{msgid}"


def _record(identity: WechatIdentity, *, msgid: str, wechat_msgid: str, at: datetime) -> None:
    WechatSent.objects.get_or_create(
        msgid=msgid,
        defaults={"identity": identity, "wecom_msgid": wechat_msgid[:200], "sent_at": at},
    )
