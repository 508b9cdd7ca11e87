"""Template SMS through Aliyun (阿里云短信服务, Dysmsapi ``SendSms``).

The official SDK (alibabacloud-dysmsapi20170525) signs each request
(ACS3-HMAC-SHA256) with ``KEFU_ALIYUN_ACCESS_KEY_ID``/``_SECRET`` and sends the
registered signature ``KEFU_ALIYUN_SMS_SIGN_NAME``, the template code and the
variables as ``TemplateParam`` JSON. ``OutId`` carries the delivery's key, the
same on every attempt, so a resend is recognisable. ``KEFU_ALIYUN_SMS_ENDPOINT``
is ``dysmsapi.aliyuncs.com`` or, in tests, ``http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings

from kefu.cases.delivery import DeliveryError, FailureCode
from kefu.channels import sms_providers
from kefu.channels.sms_templates import TemplatedSms

logger = logging.getLogger(__name__)

TIMEOUT_MS = 10_000


def aliyun_number(e164: str) -> str:
    """Aliyun's spelling: 11 digits for a mainland mobile, country code + number abroad."""
    digits = e164.removeprefix("+")
    return digits.removeprefix("86") if e164.startswith("+86") else digits


def _endpoint() -> tuple[str, str]:
    raw: str = settings.KEFU_ALIYUN_SMS_ENDPOINT.strip()
    if raw.startswith("http://"):
        return raw.removeprefix("http://").rstrip("/"), "http"
    return raw.removeprefix("https://").rstrip("/"), "https"


def aliyun_send(sms: TemplatedSms, *, e164: str) -> str:
    """Send ``sms`` to ``e164``; returns ``sms:aliyun:<BizId>``, raises ``DeliveryError``."""
    key_id: str = settings.KEFU_ALIYUN_ACCESS_KEY_ID
    secret: str = settings.KEFU_ALIYUN_ACCESS_KEY_SECRET
    sign_name: str = settings.KEFU_ALIYUN_SMS_SIGN_NAME
    if not (key_id and secret and sign_name):
        raise DeliveryError(
            "KEFU_ALIYUN_ACCESS_KEY_ID, KEFU_ALIYUN_ACCESS_KEY_SECRET and "
            "KEFU_ALIYUN_SMS_SIGN_NAME must be set for KEFU_SMS_PROVIDER=aliyun",
            permanent=True,
            code=FailureCode.NOT_CONFIGURED,
        )
    # Imported here: the SDK is heavy and only a sending worker needs it.
    from alibabacloud_dysmsapi20170525 import models as sms_models  # type: ignore[import-untyped]
    from alibabacloud_dysmsapi20170525.client import Client  # type: ignore[import-untyped]
    from alibabacloud_tea_openapi import utils_models as open_api_models  # type: ignore[import-untyped]
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException  # type: ignore[import-untyped]
    from darabonba.runtime import RuntimeOptions  # type: ignore[import-untyped]

    host, protocol = _endpoint()
    client = Client(
        open_api_models.Config(
            access_key_id=key_id,
            access_key_secret=secret,
            endpoint=host,
            protocol=protocol,
            read_timeout=TIMEOUT_MS,
            connect_timeout=TIMEOUT_MS,
        )
    )
    request = sms_models.SendSmsRequest(
        phone_numbers=aliyun_number(e164),
        sign_name=sign_name,
        template_code=sms.template_code,
        template_param=json.dumps(sms.as_mapping(), ensure_ascii=False),
        out_id=sms.key[:64],
    )
    try:
        response = client.send_sms_with_options(request, RuntimeOptions())
    except AlibabaCloudException as exc:
        # Refused before SendSms ran (signature, key, throttling at the gateway).
        code = str(getattr(exc, "code", "") or "")
        status = int(getattr(exc, "status_code", 0) or 0)
        message = str(getattr(exc, "message", exc))
        raise _error(code or f"HTTP {status}", message, status=status) from exc
    except Exception as exc:
        raise DeliveryError(
            f"aliyun unreachable: {type(exc).__name__}: {exc}"[:300],
            permanent=False,
            code=FailureCode.UNAVAILABLE,
        ) from exc
    body: Any = response.body
    code = str(getattr(body, "code", "") or "")
    if code == "OK":
        return f"sms:aliyun:{body.biz_id or body.request_id}"
    raise _error(code or "no code", str(getattr(body, "message", "") or ""), status=200)


def _error(code: str, message: str, *, status: int) -> DeliveryError:
    meaning = (
        sms_providers.classify_status(status)
        if code.startswith("HTTP ")
        else sms_providers.classify(sms_providers.ALIYUN, code)
    )
    logger.warning("aliyun SendSms refused: %s", code)
    return DeliveryError(
        f"aliyun {code}: {message}"[:300], permanent=meaning.permanent, code=meaning.failure
    )
