"""WeChat Customer Service (微信客服) in: WeCom's encrypted callback, then ``sync_msg``.

WeCom does not post the messages themselves. It posts an encrypted event
(``kf_msg_or_event``) to ``/channels/wecom-kf/callback``; kefu verifies and
decrypts it (wechatpy's WeCom crypto, ``KEFU_WECOM_TOKEN`` and
``KEFU_WECOM_AES_KEY``) and pulls the new messages of that kf account with
``cgi-bin/kf/sync_msg`` from the account's stored cursor, saved after each
page. Each WeCom ``msgid`` is stored once (``Message.external_id``
``wecom:<msgid>``), so a page read again after a crash adds nothing.

A customer's text, image, voice, file and location become a message on the
contact's open WeChat case (or a new case); media come from
``cgi-bin/media/get`` as attachments. A message kefu cannot read is kept in
quarantine (its JSON) and can be replayed.
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from kefu.cases.models import Message
from kefu.cases.services import IncomingAttachment
from kefu.channels.errors import ChannelErrorCode, MessageUnreadableError, SignatureError
from kefu.channels.models_wecom import WechatIdentity, WecomKfAccount
from kefu.channels.quarantine import quarantine_hold
from kefu.channels.wechat_intake import is_stored, wechat_store
from kefu.channels.wecom_api import WecomApiError, api_post, media_get

logger = logging.getLogger(__name__)

# A callback whose timestamp is further than this from now is a replay.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_PAGES = 100
# sync_msg origin: 3 the customer wrote; 4 a system event; 5 a WeCom servicer wrote.
ORIGIN_CUSTOMER = 3
_MEDIA_TYPES = ("image", "voice", "file")


@dataclass(frozen=True)
class CallbackEvent:
    """A decrypted callback: ``kf_msg_or_event`` with its token, or another event."""

    event: str
    open_kfid: str
    token: str


@dataclass(frozen=True)
class SyncResult:
    stored: int
    repeats: int
    quarantined: int
    pages: int


def _crypto() -> Any:
    # Imported here: wechatpy is heavy and only this channel needs it.
    from wechatpy.enterprise.crypto import WeChatCrypto  # type: ignore[import-untyped]

    token: str = settings.KEFU_WECOM_TOKEN
    key: str = settings.KEFU_WECOM_AES_KEY
    corp_id: str = settings.KEFU_WECOM_CORP_ID
    if not (token and key and corp_id):
        raise SignatureError(
            ChannelErrorCode.WEBHOOK_NOT_CONFIGURED,
            _(
                "WeChat Customer Service is not configured: set KEFU_WECOM_CORP_ID, "
                "KEFU_WECOM_TOKEN and KEFU_WECOM_AES_KEY."
            ),
        )
    return WeChatCrypto(token, key, corp_id)


def _bad_signature() -> SignatureError:
    return SignatureError(
        ChannelErrorCode.BAD_SIGNATURE,
        _("The msg_signature does not match: this request did not come from WeCom."),
    )


def _check_timestamp(timestamp: str, *, at: datetime) -> None:
    try:
        sent = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise _replayed() from exc
    if abs(at - sent) > MAX_CLOCK_SKEW:
        raise _replayed()


def _replayed() -> SignatureError:
    return SignatureError(
        ChannelErrorCode.REPLAYED,
        _("The callback's timestamp is more than five minutes away: refused as a replay."),
    )


def wecom_verify_url(
    *, msg_signature: str, timestamp: str, nonce: str, echostr: str, at: datetime
) -> str:
    """WeCom's URL verification: the decrypted ``echostr`` when the signature holds."""
    from wechatpy.exceptions import InvalidSignatureException  # type: ignore[import-untyped]

    crypto = _crypto()
    _check_timestamp(timestamp, at=at)
    try:
        return str(crypto.check_signature(msg_signature, timestamp, nonce, echostr))
    except InvalidSignatureException as exc:
        raise _bad_signature() from exc
    except Exception as exc:  # undecodable echostr: base64, padding, corp id
        raise _undecryptable() from exc


def _undecryptable() -> MessageUnreadableError:
    return MessageUnreadableError(
        ChannelErrorCode.UNDECRYPTABLE,
        _("The callback body cannot be decrypted with KEFU_WECOM_AES_KEY."),
    )


def parse_xml(text: str | bytes) -> dict[str, str]:
    """The child elements of a WeCom XML document, as text. No DTDs (entity attacks)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise ValueError("a DTD in a WeCom message")
    root = ET.fromstring(raw)  # noqa: S314
    return {child.tag: (child.text or "").strip() for child in root}


def wecom_decrypt(
    *, body: bytes, msg_signature: str, timestamp: str, nonce: str, at: datetime
) -> CallbackEvent:
    """Verify and decrypt one callback; raise ``SignatureError`` (not from WeCom, or a
    replay) or ``MessageUnreadableError`` (no ``Encrypt``, undecryptable)."""
    from wechatpy.exceptions import InvalidSignatureException

    crypto = _crypto()
    _check_timestamp(timestamp, at=at)
    try:
        outer = parse_xml(body)
    except (ET.ParseError, ValueError) as exc:
        raise _undecryptable() from exc
    if not outer.get("Encrypt"):
        raise _undecryptable()
    try:
        plain = crypto.decrypt_message(
            {"Encrypt": outer["Encrypt"]}, msg_signature, timestamp, nonce
        )
    except InvalidSignatureException as exc:
        raise _bad_signature() from exc
    except Exception as exc:  # base64, padding, a foreign corp id
        raise _undecryptable() from exc
    try:
        inner = parse_xml(plain)
    except (ET.ParseError, ValueError) as exc:
        raise _undecryptable() from exc
    return CallbackEvent(
        event=inner.get("Event", ""),
        open_kfid=inner.get("OpenKfId", ""),
        token=inner.get("Token", ""),
    )


def known_account(open_kfid: str) -> bool:
    return WecomKfAccount.objects.filter(open_kfid=open_kfid).exists()


@task()
def wecom_sync_task(*, open_kfid: str, token: str) -> int:
    """Background pull after a callback; returns how many messages were stored."""
    from django.utils import timezone

    return wecom_sync(open_kfid=open_kfid, token=token, at=timezone.now()).stored


def wecom_sync(*, open_kfid: str, token: str, at: datetime) -> SyncResult:
    """Pull the account's new messages page by page from its stored cursor.

    The cursor is saved after each page's messages are stored, so an error
    (raised as ``WecomApiError``) leaves it at the last finished page: the
    next pull reads the failed page again and its stored messages repeat.
    """
    account = WecomKfAccount.objects.get(open_kfid=open_kfid)
    cursor = account.cursor
    stored = repeats = quarantined = pages = 0
    while pages < MAX_PAGES:
        payload: dict[str, object] = {"limit": 1000, "open_kfid": open_kfid}
        if token:
            payload["token"] = token
        if cursor:
            payload["cursor"] = cursor
        data = api_post("cgi-bin/kf/sync_msg", payload)
        pages += 1
        items = data.get("msg_list")
        for item in items if isinstance(items, list) else []:
            outcome = wecom_take(item=item, at=at)
            stored += outcome == "stored"
            repeats += outcome == "repeat"
            quarantined += outcome == "quarantined"
        cursor = str(data.get("next_cursor") or cursor)
        WecomKfAccount.objects.filter(pk=account.pk).update(cursor=cursor, synced_at=at)
        if not data.get("has_more"):
            break
    logger.info(
        "wecom sync %s: %s stored, %s repeats, %s quarantined, %s pages",
        open_kfid,
        stored,
        repeats,
        quarantined,
        pages,
    )
    return SyncResult(stored=stored, repeats=repeats, quarantined=quarantined, pages=pages)


def wecom_take(*, item: object, at: datetime, source: str = "sync_msg") -> str:
    """Store one ``msg_list`` entry; "stored", "repeat", "skipped" (not the customer's,
    or an event) or "quarantined". A temporary WeCom failure (a media download) is
    raised, so the page is read again later."""
    try:
        return wecom_receive(item=item, at=at)
    except MessageUnreadableError as exc:
        raw = json.dumps(item, ensure_ascii=False).encode("utf-8")
        held = quarantine_hold(channel="wechat", error=exc, at=at, raw=raw, source=source)
        logger.warning("wecom message quarantined as #%s: %s", held.pk, exc.text())
        return "quarantined"


def _unreadable(detail: str) -> MessageUnreadableError:
    return MessageUnreadableError(
        ChannelErrorCode.UNREADABLE_WECHAT,
        _("A WeChat message kefu cannot read: %(detail)s."),
        detail=detail,
    )


def wecom_receive(*, item: object, at: datetime) -> str:
    """Store one customer message from ``sync_msg`` (see :func:`wecom_take`)."""
    if not isinstance(item, dict):
        raise _unreadable("not an object")
    if item.get("origin") != ORIGIN_CUSTOMER or item.get("msgtype") == "event":
        return "skipped"
    msgid, open_kfid, userid = (
        str(item.get(k) or "") for k in ("msgid", "open_kfid", "external_userid")
    )
    if not (msgid and open_kfid and userid):
        raise _unreadable("msgid, open_kfid or external_userid missing")
    external_id = f"wecom:{msgid}"
    if is_stored(external_id):
        return "repeat"
    body, attachments = _content(item)
    send_time = item.get("send_time")
    sent_at = (
        min(datetime.fromtimestamp(send_time, tz=UTC), at) if isinstance(send_time, int) else at
    )
    return wechat_store(
        kind=WechatIdentity.Kind.KF,
        account=open_kfid,
        userid=userid,
        body=body,
        attachments=attachments,
        external_id=external_id,
        sent_at=sent_at,
        at=at,
        nickname=lambda: _nickname(userid),
    )


def _content(item: dict[str, object]) -> tuple[str, list[IncomingAttachment]]:
    kind = item.get("msgtype")
    part = item.get(str(kind))
    if not isinstance(part, dict):
        raise _unreadable(f"no {kind} part")
    if kind == "text":
        text = str(part.get("content") or "").strip()
        if not text:
            raise _unreadable("empty text")
        return text, []
    if kind == "location":
        lines = [str(part.get(k) or "") for k in ("name", "address")]
        lines.append(f"{part.get('latitude')}, {part.get('longitude')}")
        return "\n".join(line for line in lines if line.strip()), []
    if kind in _MEDIA_TYPES:
        media_id = str(part.get("media_id") or "")
        if not media_id:
            raise _unreadable(f"{kind} without media_id")
        try:
            media = media_get(media_id)
        except WecomApiError as exc:
            if exc.temporary:
                raise
            raise _unreadable(f"{kind} {media_id} cannot be downloaded ({exc})") from exc
        attachment = IncomingAttachment(
            filename=media.filename, content_type=media.content_type, content=media.content
        )
        return "", [attachment]
    raise _unreadable(f"message type {kind!r} is not supported")


def _nickname(userid: str) -> str:
    """The WeChat nickname (``cgi-bin/kf/customer/batchget``); "" when WeCom will not say."""
    try:
        data = api_post(
            "cgi-bin/kf/customer/batchget",
            {"external_userid_list": [userid], "need_enter_session_context": 0},
        )
    except WecomApiError as exc:
        logger.info("wecom nickname of a customer not available: %s", exc)
        return ""
    customers = data.get("customer_list")
    for customer in customers if isinstance(customers, list) else []:
        if isinstance(customer, dict) and customer.get("external_userid") == userid:
            return str(customer.get("nickname") or "")
    return ""


def wecom_replay(*, raw: bytes, at: datetime) -> tuple[Message, bool]:
    """Take a quarantined ``msg_list`` entry again; the stored message and whether it
    was there already. Still unreadable: ``MessageUnreadableError``."""
    if raw.lstrip()[:1] == b"<":
        # An Official Account message (XML), quarantined by its callback.
        from kefu.channels.wechat_mp import mp_replay

        return mp_replay(raw=raw, at=at)
    try:
        item = json.loads(raw)
    except ValueError as exc:
        raise _unreadable("not JSON") from exc
    outcome = wecom_receive(item=item, at=at)
    msgid = item.get("msgid") if isinstance(item, dict) else None
    message = Message.objects.select_related("case").filter(external_id=f"wecom:{msgid}").first()
    if message is None:
        raise _unreadable("not a customer's message")
    return message, outcome == "repeat"
