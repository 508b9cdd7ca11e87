"""Staff alerts in WeCom, DingTalk and Feishu: the messages and their signatures.

Pure: plain data in, plain data out, no Django. The HTTP side is
:mod:`kefu.core.alert_channels`; what is sent to whom is
:mod:`kefu.core.alert_services`.

- WeCom application message (``cgi-bin/message/send``): text to one person's
  WeCom user id, from the configured application (agent id).
- WeCom group robot (``cgi-bin/webhook/send?key=...``): markdown.
- DingTalk custom robot (``robot/send?access_token=...``): markdown, signed with
  the robot's secret as DingTalk documents: ``timestamp`` (milliseconds) and
  ``sign`` = URL-encoded base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")).
- Feishu custom bot (``open-apis/bot/v2/hook/<token>``): text, with
  ``timestamp`` (seconds) and ``sign`` = base64(HMAC-SHA256(key="{timestamp}\\n{secret}",
  msg=b"")) in the JSON body, as Feishu documents.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from dataclasses import dataclass
from enum import Enum

# Codes of the notifications that are staff alerts: the escalation ladder (a breach
# escalates), a raised hand, a meal at risk, an update due or missed, a threat.
ALERT_CODES = frozenset(
    {
        "cases.escalated",
        "cases.customer_threat",
        "floor.hand_raised",
        "floor.hand_waiting",
        "floor.special_break_long",
        "floor.meal_at_risk",
        "incidents.update_due",
        "incidents.update_missed",
    }
)

# WeCom's "access token expired / invalid": fetch a new one and send again, once.
WECOM_TOKEN_ERRCODES = frozenset({40014, 42001})
# Answers that ask for a later try rather than a change of configuration.
_RETRY_CODES = {
    "wecom": frozenset({-1, 45009, 45033}),  # system busy, frequency limits
    "dingtalk": frozenset({-1, 130101, 130102}),  # busy, sending too fast
    "feishu": frozenset({9499, 11232, 11233}),  # rate limits
}


class AlertKind(Enum):
    WECOM_APP = "wecom_app"
    WECOM_ROBOT = "wecom_robot"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"


@dataclass(frozen=True)
class AlertText:
    """One alert as the recipient reads it: already rendered in their language."""

    title: str
    body: str
    link: str = ""  # absolute URL, or empty

    def plain(self) -> str:
        parts = [self.title]
        if self.body and self.body != self.title:
            parts.append(self.body)
        if self.link:
            parts.append(self.link)
        return "\n".join(parts)

    def markdown(self) -> str:
        lines = [f"**{self.title}**"]
        if self.body and self.body != self.title:
            lines.append(self.body)
        if self.link:
            lines.append(f"[{self.link}]({self.link})")
        return "\n\n".join(lines)


@dataclass(frozen=True)
class Outcome:
    """What a provider's answer means: sent, retry later, or a permanent failure."""

    is_sent: bool
    is_permanent: bool = False
    is_token_expired: bool = False
    code: str = ""
    message: str = ""


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign``: base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), not yet
    URL-encoded (``dingtalk_query`` encodes it once, in the query string)."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_query(*, access_token: str, secret: str, timestamp_ms: int) -> str:
    """The query string of a DingTalk robot call; signed when the robot has a secret."""
    query = {"access_token": access_token}
    if secret:
        query["timestamp"] = str(timestamp_ms)
        query["sign"] = dingtalk_sign(secret=secret, timestamp_ms=timestamp_ms)
    return urllib.parse.urlencode(query)


def feishu_sign(*, secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign``: base64(HMAC-SHA256 keyed with "{timestamp}\\n{secret}" over b"")."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def wecom_app_payload(*, text: AlertText, wecom_user_id: str, agent_id: int) -> dict[str, object]:
    """The body of ``cgi-bin/message/send``: a text message to one person."""
    return {
        "touser": wecom_user_id,
        "msgtype": "text",
        "agentid": agent_id,
        "text": {"content": text.plain()},
        "safe": 0,
    }


def wecom_robot_payload(*, text: AlertText) -> dict[str, object]:
    """The body of a WeCom group robot call (markdown)."""
    return {"msgtype": "markdown", "markdown": {"content": text.markdown()}}


def dingtalk_payload(*, text: AlertText) -> dict[str, object]:
    """The body of a DingTalk custom robot call (markdown)."""
    return {"msgtype": "markdown", "markdown": {"title": text.title, "text": text.markdown()}}


def feishu_payload(*, text: AlertText, secret: str, timestamp_s: int) -> dict[str, object]:
    """The body of a Feishu custom bot call; signed when the bot has a secret."""
    payload: dict[str, object] = {"msg_type": "text", "content": {"text": text.plain()}}
    if secret:
        payload["timestamp"] = str(timestamp_s)
        payload["sign"] = feishu_sign(secret=secret, timestamp_s=timestamp_s)
    return payload


def webhook_token(kind: AlertKind, value: str) -> str:
    """The robot's key or token from what an admin pasted: the whole webhook URL
    (``...?key=K``, ``...?access_token=T``, ``.../hook/T``) or the bare key itself."""
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        return value
    parsed = urllib.parse.urlsplit(value)
    query = urllib.parse.parse_qs(parsed.query)
    if kind is AlertKind.WECOM_ROBOT:
        return query.get("key", [""])[0]
    if kind is AlertKind.DINGTALK:
        return query.get("access_token", [""])[0]
    return parsed.path.rstrip("/").rsplit("/", 1)[-1]


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def read_answer(kind: AlertKind, answer: dict[str, object]) -> Outcome:
    """What the provider's JSON answer says about one send."""
    if kind is AlertKind.FEISHU:
        code = _int(answer.get("code", answer.get("StatusCode", 0)))
        message = str(answer.get("msg", answer.get("StatusMessage", "")))
        family = "feishu"
    else:
        code = _int(answer.get("errcode", 0))
        message = str(answer.get("errmsg", ""))
        family = "dingtalk" if kind is AlertKind.DINGTALK else "wecom"
    if code is None:
        return Outcome(is_sent=False, code="?", message=str(answer)[:200])
    if code == 0:
        invalid = str(answer.get("invaliduser", "") or "")
        if kind is AlertKind.WECOM_APP and invalid:
            return Outcome(
                is_sent=False, is_permanent=True, code="invaliduser", message=invalid[:200]
            )
        return Outcome(is_sent=True)
    if kind is AlertKind.WECOM_APP and code in WECOM_TOKEN_ERRCODES:
        return Outcome(is_sent=False, is_token_expired=True, code=str(code), message=message)
    permanent = code not in _RETRY_CODES[family]
    return Outcome(is_sent=False, is_permanent=permanent, code=str(code), message=message)
