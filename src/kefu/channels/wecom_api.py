"""Calling WeChat's server APIs: WeCom's (``KEFU_WECOM_API_BASE``) for the kf
channel, the Official Account's (``KEFU_WECHAT_API_BASE``) for 公众号.

wechatpy has no kf client, so the endpoints are called directly with urllib;
both APIs speak the same JSON with ``errcode``, and differ only in where the
access token comes from (an :class:`Api`). Every call carries the access
token, which is kept in the database (``WecomAccessToken``, keyed by the corp
id or ``mp:<app id>``) so all processes share one until shortly before it
expires; a call answered with an invalid or expired token errcode (40014,
42001; 40001 too on the Official Account) fetches a new token and is tried
once more.

Failures raise ``WecomApiError``: ``temporary`` ones (network, HTTP 5xx, a
busy or rate-limited WeCom) may be retried, the others not.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message as MimeHeaders

from django.conf import settings
from django.utils import timezone

from kefu.channels.models_wecom import WecomAccessToken

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# A token is refreshed this long before WeCom says it expires.
TOKEN_MARGIN = timedelta(minutes=5)
TOKEN_ERRCODES = frozenset({40014, 42001})
# -1 system busy, 45009 API frequency limit, 45033 too many concurrent calls.
TEMPORARY_ERRCODES = frozenset({-1, 45009, 45033})
_MAX_MEDIA_BYTES_DEFAULT = 10 * 1024 * 1024


class WecomApiError(Exception):
    """WeCom refused or could not be reached; ``errcode`` is WeCom's (0 when none)."""

    def __init__(self, reason: str, *, errcode: int = 0, temporary: bool = False) -> None:
        super().__init__(reason)
        self.errcode = errcode
        self.temporary = temporary


@dataclass(frozen=True)
class Media:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Api:
    """One WeChat server API: its base URL and how its access token is fetched."""

    label: str
    base: Callable[[], str]
    # The row the token is shared in (``WecomAccessToken.corp_id``).
    token_key: Callable[[], str]
    token_path: str
    token_query: Callable[[], dict[str, str]]
    token_errcodes: frozenset[int]


WECOM = Api(
    label="WeCom",
    base=lambda: str(settings.KEFU_WECOM_API_BASE),
    token_key=lambda: str(settings.KEFU_WECOM_CORP_ID),
    token_path="cgi-bin/gettoken",  # noqa: S106 (a path, not a password)
    token_query=lambda: {
        "corpid": settings.KEFU_WECOM_CORP_ID,
        "corpsecret": settings.KEFU_WECOM_KF_SECRET,
    },
    token_errcodes=TOKEN_ERRCODES,
)

# The Official Account (公众号): 40001 is its "invalid credential" for a stale token.
WECHAT_MP = Api(
    label="WeChat",
    base=lambda: str(settings.KEFU_WECHAT_API_BASE),
    token_key=lambda: f"mp:{settings.KEFU_WECHAT_MP_APP_ID}",
    token_path="cgi-bin/token",  # noqa: S106 (a path, not a password)
    token_query=lambda: {
        "grant_type": "client_credential",
        "appid": settings.KEFU_WECHAT_MP_APP_ID,
        "secret": settings.KEFU_WECHAT_MP_APP_SECRET,
    },
    token_errcodes=TOKEN_ERRCODES | {40001},
)


def is_configured() -> bool:
    return bool(settings.KEFU_WECOM_CORP_ID and settings.KEFU_WECOM_KF_SECRET)


def _url(api: Api, path: str, query: dict[str, str]) -> str:
    return f"{api.base()}/{path}?{urllib.parse.urlencode(query)}"


def _open(request: urllib.request.Request) -> tuple[bytes, MimeHeaders]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read(), response.headers
    except urllib.error.HTTPError as exc:
        raise WecomApiError(f"HTTP {exc.code} from WeCom", temporary=exc.code >= 500) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise WecomApiError(f"cannot reach WeCom: {exc}", temporary=True) from exc


def _decode(body: bytes) -> dict[str, object]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise WecomApiError("WeCom answered something that is not JSON", temporary=True) from exc
    if not isinstance(data, dict):
        raise WecomApiError("WeCom answered something that is not an object", temporary=True)
    return data


def _errcode(data: dict[str, object]) -> int:
    value = data.get("errcode", 0)
    return value if isinstance(value, int) else -1


def _raise_for(data: dict[str, object], *, what: str, api: Api = WECOM) -> None:
    code = _errcode(data)
    if code:
        raise WecomApiError(
            f"{what}: errcode {code} {data.get('errmsg', '')}",
            errcode=code,
            temporary=code in TEMPORARY_ERRCODES or code in api.token_errcodes,
        )


def access_token(*, now: datetime | None = None, refresh: bool = False, api: Api = WECOM) -> str:
    """The API's access token: the stored one while it is fresh, else a new one."""
    now = now or timezone.now()
    key = api.token_key()
    if not refresh:
        stored = (
            WecomAccessToken.objects.filter(corp_id=key, expires_at__gt=now + TOKEN_MARGIN)
            .values_list("token", flat=True)
            .first()
        )
        if stored:
            return stored
    url = _url(api, api.token_path, api.token_query())
    body, _headers = _open(urllib.request.Request(url))  # noqa: S310
    data = _decode(body)
    _raise_for(data, what=api.token_path, api=api)
    token = str(data.get("access_token", ""))
    expires_in = data.get("expires_in", 7200)
    seconds = expires_in if isinstance(expires_in, int) else 7200
    WecomAccessToken.objects.update_or_create(
        corp_id=key,
        defaults={"token": token, "expires_at": now + timedelta(seconds=seconds)},
    )
    logger.info("%s access token fetched (valid %s s)", api.label, seconds)
    return token


def _with_token(call: _Call, *, what: str) -> tuple[bytes, MimeHeaders]:
    api = call.api
    token = access_token(api=api)
    body, headers = call(token)
    if _is_json(headers, body):
        data = _decode(body)
        if _errcode(data) in api.token_errcodes:
            logger.info("%s refused the access token (%s); fetching a new one", api.label, what)
            body, headers = call(access_token(refresh=True, api=api))
    return body, headers


class _Call:
    def __init__(
        self,
        path: str,
        payload: dict[str, object] | None,
        query: dict[str, str],
        api: Api = WECOM,
    ):
        self.path = path
        self.payload = payload
        self.query = query
        self.api = api

    def __call__(self, token: str) -> tuple[bytes, MimeHeaders]:
        url = _url(self.api, self.path, {"access_token": token, **self.query})
        if self.payload is None:
            return _open(urllib.request.Request(url))  # noqa: S310
        data = json.dumps(self.payload, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310
            url, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        return _open(request)


def _is_json(headers: MimeHeaders, body: bytes) -> bool:
    kind = headers.get_content_type() if headers else ""
    return kind in ("application/json", "text/plain") or body.lstrip()[:1] == b"{"


def api_post(path: str, payload: dict[str, object], *, api: Api = WECOM) -> dict[str, object]:
    """POST ``payload`` to ``path`` (``cgi-bin/kf/sync_msg``); the answer, errcode 0."""
    body, _headers = _with_token(_Call(path, payload, {}, api), what=path)
    data = _decode(body)
    _raise_for(data, what=path, api=api)
    return data


def media_get(media_id: str, *, limit: int | None = None, api: Api = WECOM) -> Media:
    """Download a customer's image, voice or file (``cgi-bin/media/get``)."""
    body, headers = _with_token(
        _Call("cgi-bin/media/get", None, {"media_id": media_id}, api), what="media/get"
    )
    content_type = headers.get_content_type() if headers else "application/octet-stream"
    if content_type in ("application/json", "text/plain"):
        _raise_for(_decode(body), what="media/get", api=api)
    maximum = limit or int(getattr(settings, "KEFU_MAX_ATTACHMENT_BYTES", _MAX_MEDIA_BYTES_DEFAULT))
    if len(body) > maximum:
        raise WecomApiError(f"media {media_id} is larger than {maximum} bytes")
    return Media(
        filename=_filename(headers.get("Content-Disposition", "") if headers else "", media_id),
        content_type=content_type,
        content=body,
    )


_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def _filename(disposition: str, media_id: str) -> str:
    match = _FILENAME.search(disposition)
    if match:
        name = urllib.parse.unquote(match.group(1)).strip().replace("/", "_").replace("\\", "_")
        if name:
            return name[-200:]
    return f"wechat-{media_id[:40]}"
