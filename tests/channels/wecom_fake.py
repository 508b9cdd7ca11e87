"""A local stand-in for WeCom's server API (qyapi.weixin.qq.com), kf part.

It checks what WeCom checks (corp id and secret on ``gettoken``, a valid
``access_token`` on every call, the JSON fields of ``sync_msg`` and
``send_msg``) and answers in WeCom's format, errcodes included. Tests build
the encrypted callback with wechatpy's WeCom crypto, as WeCom would.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.channels.wechat_wire import answer, media, parts, read_json

CORP_ID = "ww5f3c1a2b9d7e6f01"
SECRET = "kf-secret-for-tests"
CALLBACK_TOKEN = "kefuCallbackToken"
AES_KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode().rstrip("=")
OPEN_KFID = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q"


@dataclass
class FakeWecom:
    url: str = ""
    # sync_msg pages by the cursor they are asked with ("" is the first).
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    nicknames: dict[str, str] = field(default_factory=dict)
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    # Cursors (sync_msg, HTTP 500) and media ids (media/get, HTTP 502) that fail once.
    fail_once: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    sync_requests: list[dict[str, Any]] = field(default_factory=list)

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()


def serve() -> Iterator[FakeWecom]:
    state = FakeWecom()

    class Handler(BaseHTTPRequestHandler):
        def _parts(self) -> tuple[str, dict[str, str]]:
            return parts(self)

        def _token_ok(self, query: dict[str, str]) -> bool:
            token = query.get("access_token", "")
            if token in state.valid_tokens:
                return True
            # 40014 invalid access_token; 42001 access_token expired.
            code = 42001 if token.startswith("tok-") else 40014
            answer(self, {"errcode": code, "errmsg": "access_token expired or invalid"})
            return False

        def do_GET(self) -> None:
            path, query = self._parts()
            state.calls.append(path)
            if path == "/cgi-bin/gettoken":
                if query.get("corpid") != CORP_ID:
                    answer(self, {"errcode": 40013, "errmsg": "invalid corpid"})
                    return
                if query.get("corpsecret") != SECRET:
                    answer(self, {"errcode": 40001, "errmsg": "invalid credential"})
                    return
                state.tokens_issued += 1
                token = f"tok-{state.tokens_issued}"
                state.valid_tokens.add(token)
                answer(
                    self,
                    {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200},
                )
                return
            if path == "/cgi-bin/media/get":
                if not self._token_ok(query):
                    return
                if query.get("media_id", "") in state.fail_once:
                    state.fail_once.discard(query.get("media_id", ""))
                    self.send_response(502)
                    self.end_headers()
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
            if path == "/cgi-bin/kf/sync_msg":
                state.sync_requests.append(body)
                if body.get("open_kfid") != OPEN_KFID:
                    answer(self, {"errcode": 95000, "errmsg": "invalid open_kfid"})
                    return
                cursor = body.get("cursor", "")
                if cursor in state.fail_once:
                    state.fail_once.discard(cursor)
                    self.send_response(500)
                    self.end_headers()
                    return
                page = state.pages.get(cursor)
                if page is None:
                    answer(self, {"errcode": 95005, "errmsg": "invalid cursor"})
                    return
                answer(self, {"errcode": 0, "errmsg": "ok", **page})
                return
            if path == "/cgi-bin/kf/customer/batchget":
                customers = [
                    {"external_userid": uid, "nickname": state.nicknames[uid], "gender": 0}
                    for uid in body.get("external_userid_list", [])
                    if uid in state.nicknames
                ]
                answer(self, {"errcode": 0, "errmsg": "ok", "customer_list": customers})
                return
            if path == "/cgi-bin/kf/send_msg":
                text = body.get("text") or {}
                if (
                    body.get("msgtype") != "text"
                    or not body.get("touser")
                    or body.get("open_kfid") != OPEN_KFID
                    or not text.get("content")
                ):
                    answer(self, {"errcode": 40008, "errmsg": "invalid message"})
                    return
                state.sent.append(body)
                answer(self, {"errcode": 0, "errmsg": "ok", "msgid": body.get("msgid", "")})
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


def encrypted_callback(
    *, event_xml: str, timestamp: int, nonce: str = "nonce123", token: str = CALLBACK_TOKEN
) -> tuple[dict[str, str], bytes]:
    """The query and body WeCom posts for ``event_xml``, encrypted with wechatpy."""
    from wechatpy.enterprise.crypto import WeChatCrypto  # type: ignore[import-untyped]

    crypto = WeChatCrypto(token, AES_KEY, CORP_ID)
    envelope = crypto.encrypt_message(event_xml, nonce, str(timestamp))
    encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    body = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>"
    )
    query = {"msg_signature": signature, "timestamp": str(timestamp), "nonce": nonce}
    return query, body.encode("utf-8")


def kf_event(
    *, sync_token: str = "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMz", open_kfid: str = OPEN_KFID
) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><CreateTime>1348831860</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
        f"<Token><![CDATA[{sync_token}]]></Token><OpenKfId><![CDATA[{open_kfid}]]></OpenKfId></xml>"
    )
