"""WeCom's callback for WeChat Customer Service: ``/channels/wecom-kf/callback``.

GET is WeCom's URL verification (answer the decrypted ``echostr``); POST is
an encrypted event. WeCom retries a callback until it gets HTTP 200, so a
genuine event kefu does not handle (another event, an unknown kf account)
is answered 200 and logged; a request that is not from WeCom (bad
signature, a replayed timestamp) gets 403, an undecryptable body 400; on a desk
with WeChat not configured the endpoint does not exist (404). None of them
stores anything.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kefu.channels.errors import ChannelErrorCode, MessageUnreadableError, SignatureError
from kefu.channels.wecom_kf import known_account, wecom_decrypt, wecom_sync_task, wecom_verify_url

logger = logging.getLogger(__name__)

KF_EVENT = "kf_msg_or_event"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wecom_kf_callback(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    signature = request.GET.get("msg_signature", "")
    timestamp = request.GET.get("timestamp", "")
    nonce = request.GET.get("nonce", "")
    try:
        if request.method == "GET":
            echo = wecom_verify_url(
                msg_signature=signature,
                timestamp=timestamp,
                nonce=nonce,
                echostr=request.GET.get("echostr", ""),
                at=at,
            )
            return HttpResponse(echo, content_type="text/plain; charset=utf-8")
        event = wecom_decrypt(
            body=request.body, msg_signature=signature, timestamp=timestamp, nonce=nonce, at=at
        )
    except SignatureError as exc:
        logger.warning("wecom callback refused (%s): %s", exc.code, exc.text())
        status = 404 if exc.code == ChannelErrorCode.WEBHOOK_NOT_CONFIGURED else 403
        return HttpResponse(str(exc.code), status=status, content_type="text/plain")
    except MessageUnreadableError as exc:
        logger.warning("wecom callback refused (%s): %s", exc.code, exc.text())
        return HttpResponse(str(exc.code), status=400, content_type="text/plain")
    if event.event != KF_EVENT:
        logger.info("wecom callback: event %r ignored", event.event)
        return HttpResponse("success", content_type="text/plain")
    if not known_account(event.open_kfid):
        logger.warning("wecom callback for unknown open_kfid %r ignored", event.open_kfid)
        return HttpResponse("success", content_type="text/plain")
    token, open_kfid = event.token, event.open_kfid
    # WeCom wants an answer within five seconds: the messages are pulled in the background.
    transaction.on_commit(lambda: wecom_sync_task.enqueue(open_kfid=open_kfid, token=token))
    return HttpResponse("success", content_type="text/plain")
