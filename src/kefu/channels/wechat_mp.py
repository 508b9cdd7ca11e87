"""The WeChat Official Account (公众号) in: ``/channels/wechat-mp/callback``.

WeChat posts each user message to the callback as XML, in plain mode signed
with ``signature`` (SHA-1 of the token, timestamp and nonce), in safe mode
(``KEFU_WECHAT_MP_AES_KEY`` set, ``encrypt_type=aes``) encrypted with the
account's EncodingAESKey and signed with ``msg_signature``; wechatpy checks
and decrypts (``wechatpy.crypto.WeChatCrypto``) and parses (``parse_message``).
A timestamp more than five minutes away is a replay. Nothing is stored for a
request that fails a check.

Text, image, voice, location and link messages, and the ``subscribe`` event,
continue the user's open WeChat case or open one (``wechat_intake``): the
user's openid is the contact's ``wechat`` identity of kind ``mp``. Each
``MsgId`` is stored once (events, which have none, by user and time), since
WeChat posts a message again when kefu is slow to answer. Media come from
``cgi-bin/media/get``; a message kefu cannot read is quarantined (its XML)
and can be replayed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.cases.models import Message
from kefu.cases.services import IncomingAttachment
from kefu.channels.errors import ChannelErrorCode, MessageUnreadableError, SignatureError
from kefu.channels.models_wecom import WechatIdentity
from kefu.channels.quarantine import quarantine_hold
from kefu.channels.wechat_intake import is_stored, wechat_store
from kefu.channels.wecom_api import WECHAT_MP, WecomApiError, media_get
from kefu.channels.wecom_kf import _check_timestamp

logger = logging.getLogger(__name__)

SOURCE = "wechat-mp"


@dataclass(frozen=True)
class CallbackQuery:
    """The query string WeChat signs a callback with."""

    signature: str
    timestamp: str
    nonce: str
    encrypt_type: str = ""
    msg_signature: str = ""


def is_configured() -> bool:
    """Whether the desk answers the Official Account's callback (app id and token)."""
    return bool(settings.KEFU_WECHAT_MP_APP_ID and settings.KEFU_WECHAT_MP_TOKEN)


def can_send() -> bool:
    """Whether the desk can call the Official Account's API (app id and secret)."""
    return bool(settings.KEFU_WECHAT_MP_APP_ID and settings.KEFU_WECHAT_MP_APP_SECRET)


def _not_configured() -> SignatureError:
    return SignatureError(
        ChannelErrorCode.WEBHOOK_NOT_CONFIGURED,
        gettext_lazy(
            "The WeChat Official Account is not configured: set KEFU_WECHAT_MP_APP_ID and "
            "KEFU_WECHAT_MP_TOKEN."
        ),
    )


def _bad_signature() -> SignatureError:
    return SignatureError(
        ChannelErrorCode.BAD_SIGNATURE,
        gettext_lazy("The signature does not match: this request did not come from WeChat."),
    )


def _undecryptable() -> MessageUnreadableError:
    return MessageUnreadableError(
        ChannelErrorCode.UNDECRYPTABLE,
        gettext_lazy("The callback body cannot be read or decrypted with KEFU_WECHAT_MP_AES_KEY."),
    )


def _check_plain(query: CallbackQuery) -> None:
    from wechatpy.exceptions import InvalidSignatureException  # type: ignore[import-untyped]
    from wechatpy.utils import check_signature  # type: ignore[import-untyped]

    try:
        check_signature(
            settings.KEFU_WECHAT_MP_TOKEN, query.signature, query.timestamp, query.nonce
        )
    except InvalidSignatureException as exc:
        raise _bad_signature() from exc


def mp_verify_url(*, query: CallbackQuery, echostr: str, at: datetime) -> str:
    """WeChat's URL verification (plain in both modes): ``echostr`` when signed."""
    if not is_configured():
        raise _not_configured()
    _check_timestamp(query.timestamp, at=at)
    _check_plain(query)
    return echostr


def _has_dtd(raw: bytes) -> bool:
    upper = raw.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def mp_decrypt(*, body: bytes, query: CallbackQuery, at: datetime) -> str:
    """The message XML of one callback, its signature checked (and decrypted in safe
    mode); raises ``SignatureError`` or ``MessageUnreadableError``."""
    if not is_configured():
        raise _not_configured()
    _check_timestamp(query.timestamp, at=at)
    if _has_dtd(body):
        raise _undecryptable()
    aes_key: str = settings.KEFU_WECHAT_MP_AES_KEY
    if not aes_key:
        _check_plain(query)
        return body.decode("utf-8", errors="replace")
    if query.encrypt_type != "aes":
        # Safe mode: a plain message is not one WeChat sent.
        raise _undecryptable()
    from wechatpy.crypto import WeChatCrypto  # type: ignore[import-untyped]
    from wechatpy.exceptions import InvalidSignatureException

    crypto = WeChatCrypto(settings.KEFU_WECHAT_MP_TOKEN, aes_key, settings.KEFU_WECHAT_MP_APP_ID)
    try:
        plain = crypto.decrypt_message(body, query.msg_signature, query.timestamp, query.nonce)
    except InvalidSignatureException as exc:
        raise _bad_signature() from exc
    except Exception as exc:  # XML, base64, padding, another app id
        raise _undecryptable() from exc
    text = str(plain)
    if _has_dtd(text.encode("utf-8")):
        raise _undecryptable()
    return text


def _unreadable(detail: str) -> MessageUnreadableError:
    return MessageUnreadableError(
        ChannelErrorCode.UNREADABLE_WECHAT,
        gettext_lazy("A WeChat message kefu cannot read: %(detail)s."),
        detail=detail,
    )


def _parse(xml: str) -> Any:
    from wechatpy import parse_message  # type: ignore[import-untyped]

    try:
        message = parse_message(xml)
    except Exception as exc:  # not XML
        raise _unreadable("not XML") from exc
    if message is None:
        raise _unreadable("empty")
    return message


def mp_take(*, xml: str, at: datetime) -> str:
    """Store one callback's message: "stored", "repeat", "skipped" (a message type or
    event the desk does not take) or "quarantined". A temporary failure to download
    media is raised (``WecomApiError``): nothing is stored and WeChat posts it again."""
    try:
        return mp_receive(xml=xml, at=at)
    except MessageUnreadableError as exc:
        raw = xml.encode("utf-8")
        held = quarantine_hold(channel="wechat", error=exc, at=at, raw=raw, source=SOURCE)
        logger.warning("wechat-mp message quarantined as #%s: %s", held.pk, exc.text())
        return "quarantined"


def mp_receive(*, xml: str, at: datetime) -> str:
    """Store one Official Account message (see :func:`mp_take`)."""
    message = _parse(xml)
    openid = str(getattr(message, "source", "") or "")
    kind = str(getattr(message, "type", "") or "")
    if kind == "event" and getattr(message, "event", "") != "subscribe":
        logger.info("wechat-mp event %r ignored", getattr(message, "event", ""))
        return "skipped"
    if kind not in ("text", "image", "voice", "location", "link", "event"):
        logger.info("wechat-mp message type %r ignored", kind)
        return "skipped"
    if not openid:
        raise _unreadable("FromUserName missing")
    created = getattr(message, "create_time", None)
    sent_at = min(created.astimezone(UTC), at) if isinstance(created, datetime) else at
    msgid = str(getattr(message, "id", "") or "")
    if kind == "event" or msgid in ("", "0"):
        # WeChat's advice for events: FromUserName + CreateTime identify one.
        msgid = f"{openid}:{int(sent_at.timestamp())}"
    external_id = f"wxmp:{msgid}"[:300]
    if is_stored(external_id):
        return "repeat"
    body, attachments = _content(message, kind)
    return wechat_store(
        kind=WechatIdentity.Kind.MP,
        account=str(settings.KEFU_WECHAT_MP_APP_ID),
        userid=openid,
        body=body,
        attachments=attachments,
        external_id=external_id,
        sent_at=sent_at,
        at=at,
        nickname=lambda: "",
    )


def _content(message: Any, kind: str) -> tuple[str, list[IncomingAttachment]]:
    if kind == "text":
        text = str(message.content or "").strip()
        if not text:
            raise _unreadable("empty text")
        return text, []
    if kind == "event":
        # A new follower: the window opens and the desk sees who arrived.
        with translation.override("zh-hans"):
            return _("(followed the Official Account)"), []
    if kind == "location":
        x, y = message.location
        lines = [str(message.label or ""), f"{x}, {y}"]
        return "\n".join(line for line in lines if line.strip()), []
    if kind == "link":
        lines = [str(message.title or ""), str(message.description or ""), str(message.url or "")]
        return "\n".join(line for line in lines if line.strip()), []
    media_id = str(message.media_id or "")
    if not media_id:
        raise _unreadable(f"{kind} without MediaId")
    try:
        media = media_get(media_id, api=WECHAT_MP)
    except WecomApiError as exc:
        if exc.temporary:
            raise
        raise _unreadable(f"{kind} {media_id} cannot be downloaded ({exc})") from exc
    body = str(getattr(message, "recognition", "") or "") if kind == "voice" else ""
    attachment = IncomingAttachment(
        filename=media.filename, content_type=media.content_type, content=media.content
    )
    return body, [attachment]


def mp_replay(*, raw: bytes, at: datetime) -> tuple[Message, bool]:
    """Take a quarantined Official Account message again; the stored message and
    whether it was there already. Still unreadable: ``MessageUnreadableError``."""
    xml = raw.decode("utf-8", errors="replace")
    outcome = mp_receive(xml=xml, at=at)
    message = _parse(xml)
    msgid = str(getattr(message, "id", "") or "")
    stored = Message.objects.select_related("case").filter(external_id=f"wxmp:{msgid}").first()
    if stored is None:
        raise _unreadable("not a customer's message")
    return stored, outcome == "repeat"
