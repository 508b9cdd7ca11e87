"""Template SMS through Tencent Cloud (腾讯云短信, ``SendSms`` 2021-01-11).

The official SDK (tencentcloud-sdk-python-sms) signs each request
(TC3-HMAC-SHA256) with ``KEFU_TENCENT_SECRET_ID``/``_KEY`` and sends the
application ``KEFU_TENCENT_SMS_SDK_APP_ID``, the registered signature
``KEFU_TENCENT_SMS_SIGN_NAME``, the template id and the variables in the
template's order (``TemplateParamSet``). ``SessionContext`` carries the
delivery's key, the same on every attempt, so a resend is recognisable.
``KEFU_TENCENT_SMS_ENDPOINT`` is ``sms.tencentcloudapi.com`` or, in tests,
``http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import logging

from django.conf import settings

from kefu.cases.delivery import DeliveryError, FailureCode
from kefu.channels import sms_providers
from kefu.channels.sms_templates import TemplatedSms

logger = logging.getLogger(__name__)

# SMS is served from ap-guangzhou for mainland China (any region reaches the same service).
REGION = "ap-guangzhou"
TIMEOUT_SECONDS = 10


def _endpoint() -> tuple[str, str]:
    raw: str = settings.KEFU_TENCENT_SMS_ENDPOINT.strip()
    if raw.startswith("http://"):
        return raw.removeprefix("http://").rstrip("/"), "http"
    return raw.removeprefix("https://").rstrip("/"), "https"


def tencent_send(sms: TemplatedSms, *, e164: str) -> str:
    """Send ``sms`` to ``e164``; returns ``sms:tencent:<SerialNo>``, raises ``DeliveryError``."""
    secret_id: str = settings.KEFU_TENCENT_SECRET_ID
    secret_key: str = settings.KEFU_TENCENT_SECRET_KEY
    app_id: str = settings.KEFU_TENCENT_SMS_SDK_APP_ID
    sign_name: str = settings.KEFU_TENCENT_SMS_SIGN_NAME
    if not (secret_id and secret_key and app_id and sign_name):
        raise DeliveryError(
            "KEFU_TENCENT_SECRET_ID, KEFU_TENCENT_SECRET_KEY, KEFU_TENCENT_SMS_SDK_APP_ID and "
            "KEFU_TENCENT_SMS_SIGN_NAME must be set for KEFU_SMS_PROVIDER=tencent",
            permanent=True,
            code=FailureCode.NOT_CONFIGURED,
        )
    # Imported here: the SDK is heavy and only a sending worker needs it.
    from tencentcloud.common import credential  # type: ignore[import-untyped]
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException  # type: ignore[import-untyped]
    from tencentcloud.common.profile.client_profile import ClientProfile  # type: ignore[import-untyped]
    from tencentcloud.common.profile.http_profile import HttpProfile  # type: ignore[import-untyped]
    from tencentcloud.sms.v20210111 import models, sms_client  # type: ignore[import-untyped]

    host, protocol = _endpoint()
    profile = ClientProfile(
        httpProfile=HttpProfile(protocol=protocol, endpoint=host, reqTimeout=TIMEOUT_SECONDS)
    )
    client = sms_client.SmsClient(credential.Credential(secret_id, secret_key), REGION, profile)
    request = models.SendSmsRequest()
    request.PhoneNumberSet = [e164]
    request.SmsSdkAppId = app_id
    request.SignName = sign_name
    request.TemplateId = sms.template_code
    request.TemplateParamSet = sms.values()
    request.SessionContext = sms.key[:500]
    try:
        response = client.SendSms(request)
    except TencentCloudSDKException as exc:
        raise _error(str(exc.get_code() or "no code"), str(exc.get_message() or "")) from exc
    except Exception as exc:
        raise DeliveryError(
            f"tencent unreachable: {type(exc).__name__}: {exc}"[:300],
            permanent=False,
            code=FailureCode.UNAVAILABLE,
        ) from exc
    statuses = list(response.SendStatusSet or [])
    if not statuses:
        raise _error("no SendStatusSet", f"request {response.RequestId}")
    status = statuses[0]
    if status.Code == "Ok":
        return f"sms:tencent:{status.SerialNo or response.RequestId}"
    raise _error(str(status.Code or "no code"), str(status.Message or ""))


def _error(code: str, message: str) -> DeliveryError:
    meaning = sms_providers.classify(sms_providers.TENCENT, code)
    logger.warning("tencent SendSms refused: %s", code)
    return DeliveryError(
        f"tencent {code}: {message}"[:300], permanent=meaning.permanent, code=meaning.failure
    )
