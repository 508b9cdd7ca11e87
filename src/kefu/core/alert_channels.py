"""Sending staff alerts over HTTP to WeCom, DingTalk and Feishu.

The standard library's urllib, so no new dependency. Every base URL is a setting
(``KEFU_WECOM_API_BASE``, ``KEFU_DINGTALK_API_BASE``, ``KEFU_FEISHU_API_BASE``) read
when used, so tests point them at a local fake. Failures raise ``AlertSendError``
saying whether a retry can help.

The WeCom access token is kept in the database (``WecomAccessToken``), shared by
every process until five minutes before it expires, and fetched anew once when
WeCom answers 40014 or 42001.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings

from kefu.core.alert_models import WecomAccessToken
from kefu.core.staff_alerts import (
    AlertKind,
    AlertText,
    Outcome,
    dingtalk_payload,
    dingtalk_query,
    feishu_payload,
    read_answer,
    webhook_token,
    wecom_app_payload,
    wecom_robot_payload,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
TOKEN_MARGIN = timedelta(minutes=5)
_RETRY_STATUSES = frozenset({408, 429})


class AlertSendError(Exception):
    """A send that did not go through; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool, code: str = "") -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code


def _base(name: str, default: str) -> str:
    return str(getattr(settings, name, "") or default).rstrip("/")


def _request(url: str, *, body: bytes | None = None) -> dict[str, object]:
    if not url.startswith(("http://", "https://")):
        raise AlertSendError(f"not an http(s) URL: {url!r}", permanent=True, code="config")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=body,
        method="POST" if body is not None else "GET",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read()
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in _RETRY_STATUSES
        raise AlertSendError(f"HTTP {exc.code}", permanent=permanent, code=str(exc.code)) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise AlertSendError(f"cannot reach the server: {exc}", permanent=False) from exc
    try:
        data = json.loads(answer) if answer.strip() else {}
    except ValueError as exc:
        raise AlertSendError("the answer is not JSON", permanent=False) from exc
    return data if isinstance(data, dict) else {}


def _post(url: str, payload: Mapping[str, object]) -> dict[str, object]:
    return _request(url, body=json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _raise_unless_sent(outcome: Outcome) -> None:
    if not outcome.is_sent:
        raise AlertSendError(
            f"{outcome.code}: {outcome.message}".strip(": "),
            permanent=outcome.is_permanent,
            code=outcome.code,
        )


# -- WeCom application messages -------------------------------------------------------


def _wecom_credentials() -> tuple[str, str, int]:
    corp_id = str(getattr(settings, "KEFU_WECOM_CORP_ID", "") or "")
    secret = str(getattr(settings, "KEFU_WECOM_APP_SECRET", "") or "")
    agent = str(getattr(settings, "KEFU_WECOM_AGENT_ID", "") or "")
    if not (corp_id and secret and agent.isdigit()):
        raise AlertSendError(
            "KEFU_WECOM_CORP_ID, KEFU_WECOM_AGENT_ID and KEFU_WECOM_APP_SECRET are not all set",
            permanent=True,
            code="config",
        )
    return corp_id, secret, int(agent)


def wecom_token(*, now: datetime, refresh: bool = False) -> str:
    """The application's access token: the stored one while it has more than five
    minutes left (unless ``refresh``), else a new one from ``cgi-bin/gettoken``."""
    corp_id, secret, agent_id = _wecom_credentials()
    key = f"wecom-app:{corp_id}:{agent_id}"
    if not refresh:
        stored = WecomAccessToken.objects.filter(key=key, expires_at__gt=now + TOKEN_MARGIN).first()
        if stored is not None:
            return stored.token
    base = _base("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com")
    query = urllib.parse.urlencode({"corpid": corp_id, "corpsecret": secret})
    answer = _request(f"{base}/cgi-bin/gettoken?{query}")
    token = answer.get("access_token")
    if answer.get("errcode", 0) != 0 or not isinstance(token, str) or not token:
        code = str(answer.get("errcode", "?"))
        # A wrong secret or corp id does not heal by itself; anything else may.
        raise AlertSendError(
            f"gettoken: {code} {answer.get('errmsg', '')}".strip(),
            permanent=code in {"40001", "40013", "40091"},
            code=code,
        )
    expires_in = answer.get("expires_in", 7200)
    seconds = expires_in if isinstance(expires_in, int) else 7200
    WecomAccessToken.objects.update_or_create(
        key=key, defaults={"token": token, "expires_at": now + timedelta(seconds=seconds)}
    )
    return token


def send_wecom_app(*, text: AlertText, wecom_user_id: str, now: datetime) -> None:
    """Send ``text`` to one person as the WeCom application; a stale token is
    replaced once."""
    _corp, _secret, agent_id = _wecom_credentials()
    payload = wecom_app_payload(text=text, wecom_user_id=wecom_user_id, agent_id=agent_id)
    base = _base("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com")
    token = wecom_token(now=now)
    for attempt in range(2):
        query = urllib.parse.urlencode({"access_token": token})
        outcome = read_answer(
            AlertKind.WECOM_APP, _post(f"{base}/cgi-bin/message/send?{query}", payload)
        )
        if outcome.is_token_expired and attempt == 0:
            token = wecom_token(now=now, refresh=True)
            continue
        _raise_unless_sent(outcome)
        return


# -- team robots ------------------------------------------------------------------------


def send_robot(*, kind: AlertKind, webhook: str, secret: str, text: AlertText) -> None:
    """Send ``text`` to a group robot of ``kind`` (WeCom, DingTalk or Feishu)."""
    token = webhook_token(kind, webhook)
    if not token:
        raise AlertSendError("the robot has no webhook key", permanent=True, code="config")
    if kind is AlertKind.WECOM_ROBOT:
        base = _base("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com")
        query = urllib.parse.urlencode({"key": token})
        answer = _post(f"{base}/cgi-bin/webhook/send?{query}", wecom_robot_payload(text=text))
    elif kind is AlertKind.DINGTALK:
        base = _base("KEFU_DINGTALK_API_BASE", "https://oapi.dingtalk.com")
        query = dingtalk_query(
            access_token=token, secret=secret, timestamp_ms=int(time.time() * 1000)
        )
        answer = _post(f"{base}/robot/send?{query}", dingtalk_payload(text=text))
    elif kind is AlertKind.FEISHU:
        base = _base("KEFU_FEISHU_API_BASE", "https://open.feishu.cn")
        path = urllib.parse.quote(token, safe="")
        payload = feishu_payload(text=text, secret=secret, timestamp_s=int(time.time()))
        answer = _post(f"{base}/open-apis/bot/v2/hook/{path}", payload)
    else:
        raise AlertSendError(f"not a robot: {kind.value}", permanent=True, code="config")
    _raise_unless_sent(read_answer(kind, answer))
