"""The WeChat Official Account's callback: ``/channels/wechat-mp/callback``.

GET is WeChat's URL verification (answer ``echostr`` when the signature
holds); POST is a user's message, answered ``success`` (kefu sends no passive
reply; agents answer through the desk). A request that is not from WeChat (bad
signature, a replayed timestamp) gets 403, an unreadable or undecryptable body
400, a message whose media WeChat cannot hand over right now 503 (WeChat posts
it again); on a desk with the Official Account not configured the endpoint
does not exist (404). None of them stores anything, and each is logged.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kefu.channels.errors import ChannelErrorCode, MessageUnreadableError, SignatureError
from kefu.channels.wechat_mp import CallbackQuery, mp_decrypt, mp_take, mp_verify_url
from kefu.channels.wecom_api import WecomApiError

logger = logging.getLogger(__name__)


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_mp_callback(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    query = CallbackQuery(
        signature=request.GET.get("signature", ""),
        timestamp=request.GET.get("timestamp", ""),
        nonce=request.GET.get("nonce", ""),
        encrypt_type=request.GET.get("encrypt_type", ""),
        msg_signature=request.GET.get("msg_signature", ""),
    )
    try:
        if request.method == "GET":
            return _text(mp_verify_url(query=query, echostr=request.GET.get("echostr", ""), at=at))
        xml = mp_decrypt(body=request.body, query=query, at=at)
        outcome = mp_take(xml=xml, at=at)
    except SignatureError as exc:
        logger.warning("wechat-mp callback refused (%s): %s", exc.code, exc.text())
        status = 404 if exc.code == ChannelErrorCode.WEBHOOK_NOT_CONFIGURED else 403
        return _text(str(exc.code), status=status)
    except MessageUnreadableError as exc:
        logger.warning("wechat-mp callback refused (%s): %s", exc.code, exc.text())
        return _text(str(exc.code), status=400)
    except WecomApiError as exc:
        logger.warning("wechat-mp message not taken yet, WeChat will post it again: %s", exc)
        return _text("retry", status=503)
    logger.info("wechat-mp callback: %s", outcome)
    return _text("success")
