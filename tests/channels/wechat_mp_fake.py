"""A local stand-in for the WeChat Official Account's server API (api.weixin.qq.com).

It checks what WeChat checks (app id and secret on ``cgi-bin/token``, a valid
``access_token`` on every call, the JSON of ``custom/send`` and
``template/send``) and answers in WeChat's format, errcodes included. The
callbacks WeChat would post are built here too: plain XML signed with the
token, or in safe mode encrypted with wechatpy's crypto.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.channels.wechat_wire import answer, media, parts, read_json

APP_ID = "wx3f9a1c2b4d5e6f70"
APP_SECRET = "mp-secret-for-tests"
TOKEN = "kefuMpToken"
AES_KEY = base64.b64encode(b"fedcba9876543210fedcba9876543210").decode().rstrip("=")
ORIGINAL_ID = "gh_3a8b1c2d4e5f"


@dataclass
class FakeWechatMp:
    url: str = ""
    media: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    # Openids whose custom messages WeChat answers 45015 (out of the window).
    out_of_window: set[str] = field(default_factory=set)
    custom: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()


def serve() -> Iterator[FakeWechatMp]:
    state = FakeWechatMp()

    class Handler(BaseHTTPRequestHandler):
        def _parts(self) -> tuple[str, dict[str, str]]:
            return parts(self)

        def _token_ok(self, query: dict[str, str]) -> bool:
            if query.get("access_token", "") in state.valid_tokens:
                return True
            # The Official Account says 40001 for an invalid or revoked token.
            answer(self, {"errcode": 40001, "errmsg": "invalid credential, access_token"})
            return False

        def do_GET(self) -> None:
            path, query = self._parts()
            state.calls.append(path)
            if path == "/cgi-bin/token":
                if query.get("grant_type") != "client_credential" or query.get("appid") != APP_ID:
                    answer(self, {"errcode": 40013, "errmsg": "invalid appid"})
                    return
                if query.get("secret") != APP_SECRET:
                    answer(self, {"errcode": 40125, "errmsg": "invalid appsecret"})
                    return
                state.tokens_issued += 1
                token = f"mptok-{state.tokens_issued}"
                state.valid_tokens.add(token)
                answer(self, {"access_token": token, "expires_in": 7200})
                return
            if path == "/cgi-bin/media/get":
                if not self._token_ok(query):
                    return
                media(self, state.media.get(query.get("media_id", "")))
                return
            answer(self, {"errcode": 404, "errmsg": "no such api"}, status=404)

        def do_POST(self) -> None:
            path, query = self._parts()
            state.calls.append(path)
            body = read_json(self)
            if not self._token_ok(query):
                return
            if path == "/cgi-bin/message/custom/send":
                text = body.get("text") or {}
                if body.get("msgtype") != "text" or not body.get("touser") or not text:
                    answer(self, {"errcode": 40008, "errmsg": "invalid message type"})
                    return
                if body["touser"] in state.out_of_window:
                    answer(self, {"errcode": 45015, "errmsg": "response out of time limit"})
                    return
                state.custom.append(body)
                answer(self, {"errcode": 0, "errmsg": "ok"})
                return
            if path == "/cgi-bin/message/template/send":
                if not body.get("touser") or not body.get("template_id"):
                    answer(self, {"errcode": 40037, "errmsg": "invalid template_id"})
                    return
                data = body.get("data")
                if not isinstance(data, dict) or not all(
                    isinstance(v, dict) and "value" in v for v in data.values()
                ):
                    answer(self, {"errcode": 47001, "errmsg": "data format error"})
                    return
                state.templates.append(body)
                answer(self, {"errcode": 0, "errmsg": "ok", "msgid": 200228332})
                return
            answer(self, {"errcode": 404, "errmsg": "no such api"}, status=404)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()  # noqa: S324


def signed_query(*, timestamp: int, nonce: str = "nonce42", token: str = TOKEN) -> dict[str, str]:
    """The query WeChat signs a plain callback (and the URL verification) with."""
    stamp = str(timestamp)
    return {"signature": _sha1(token, stamp, nonce), "timestamp": stamp, "nonce": nonce}


def plain_callback(*, xml: str, timestamp: int, openid: str) -> tuple[dict[str, str], bytes]:
    query = {**signed_query(timestamp=timestamp), "openid": openid}
    return query, xml.encode("utf-8")


def safe_callback(*, xml: str, timestamp: int, openid: str) -> tuple[dict[str, str], bytes]:
    """The query and body WeChat posts in safe mode: ``Encrypt`` with ``msg_signature``."""
    from wechatpy.crypto import WeChatCrypto  # type: ignore[import-untyped]

    nonce = "nonce42"
    envelope = WeChatCrypto(TOKEN, AES_KEY, APP_ID).encrypt_message(xml, nonce, str(timestamp))
    encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    msg_signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    body = (
        f"<xml><ToUserName><![CDATA[{ORIGINAL_ID}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    query = {
        **signed_query(timestamp=timestamp, nonce=nonce),
        "openid": openid,
        "encrypt_type": "aes",
        "msg_signature": msg_signature,
    }
    return query, body.encode("utf-8")


def message_xml(*, openid: str, created: int, msgtype: str, msgid: str = "", **fields: str) -> str:
    """A user's message as WeChat writes it (``Content``, ``MediaId``, ``Event``...)."""
    parts = [
        f"<ToUserName><![CDATA[{ORIGINAL_ID}]]></ToUserName>",
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
        f"<CreateTime>{created}</CreateTime>",
        f"<MsgType><![CDATA[{msgtype}]]></MsgType>",
    ]
    for name, value in fields.items():
        parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
    if msgid:
        parts.append(f"<MsgId>{msgid}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"
