"""Local stand-ins for Aliyun's and Tencent Cloud's SMS APIs, speaking their wire format.

Each checks the request's signature with the test secret (Aliyun's
ACS3-HMAC-SHA256, Tencent's TC3-HMAC-SHA256), the action and version, the
registered signature, the template and its variables, and answers as the
provider does: success, or the provider's error code (``force`` makes the next
answers carry one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

ALIYUN_KEY_ID = "LTAI-test-key"
ALIYUN_SECRET = "aliyun-test-secret"
ALIYUN_SIGN = "筑家服务"
TENCENT_SECRET_ID = "AKID-test-id"
TENCENT_SECRET_KEY = "tencent-test-key"
TENCENT_APP_ID = "1400000001"
TENCENT_SIGN = "筑家服务"


@dataclass
class FakeSms:
    """What one fake provider received and how it answers."""

    url: str = ""
    # template code -> its variable names (Aliyun: by name; Tencent: how many, in order).
    templates: dict[str, list[str]] = field(default_factory=dict)
    # Received and accepted sends: the provider's parameters.
    sent: list[dict[str, Any]] = field(default_factory=list)
    # Every request's parameters, accepted or not.
    received: list[dict[str, Any]] = field(default_factory=list)
    # Error codes to answer with, one per request, before answering normally again.
    force: list[str] = field(default_factory=list)
    refused_signatures: int = 0

    @property
    def endpoint(self) -> str:
        return self.url


def _serve(handler: type[BaseHTTPRequestHandler], state: FakeSms) -> Iterator[FakeSms]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _answer(handler: BaseHTTPRequestHandler, status: int, data: dict[str, Any]) -> None:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


# --- Aliyun: RPC style, POST /?<params>, ACS3-HMAC-SHA256 over the canonical request ---


def _aliyun_signature_ok(
    method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
) -> bool:
    auth = headers.get("authorization", "")
    if not auth.startswith("ACS3-HMAC-SHA256 "):
        return False
    parts = dict(p.split("=", 1) for p in auth.removeprefix("ACS3-HMAC-SHA256 ").split(","))
    if parts.get("Credential") != ALIYUN_KEY_ID:
        return False
    payload = hashlib.sha256(body).hexdigest()
    if headers.get("x-acs-content-sha256") != payload:
        return False
    signed = parts.get("SignedHeaders", "").split(";")
    if not {"host", "x-acs-action", "x-acs-date", "x-acs-signature-nonce"} <= set(signed):
        return False
    canonical_query = "&".join(
        f"{k}={quote(query[k], safe='~', encoding='utf-8')}" for k in sorted(query)
    )
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
    canonical = "\n".join(
        [method, path or "/", canonical_query, canonical_headers, ";".join(signed), payload]
    )
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    expected = hmac.new(ALIYUN_SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("Signature", ""))


@contextmanager
def aliyun_fake(templates: dict[str, list[str]]) -> Iterator[FakeSms]:
    state = FakeSms(templates=templates)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            split = urlsplit(self.path)
            query = dict(parse_qsl(split.query, keep_blank_values=True))
            body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            params = {**query, **dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))}
            state.received.append(params)
            request_id = str(uuid.uuid4()).upper()
            if not _aliyun_signature_ok("POST", split.path, query, headers, body):
                state.refused_signatures += 1
                _answer(
                    self,
                    400,
                    {
                        "Code": "SignatureDoesNotMatch",
                        "Message": "Specified signature does not match our calculation.",
                        "RequestId": request_id,
                    },
                )
                return
            if (headers.get("x-acs-action"), headers.get("x-acs-version")) != (
                "SendSms",
                "2017-05-25",
            ):
                _answer(self, 404, {"Code": "InvalidAction.NotFound", "RequestId": request_id})
                return
            code = self._check(params)
            if code != "OK":
                _answer(self, 200, {"Code": code, "Message": code, "RequestId": request_id})
                return
            state.sent.append(params)
            biz_id = f"{len(state.sent):06d}{int(time.time())}^0"
            _answer(
                self, 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}
            )

        def _check(self, params: dict[str, str]) -> str:
            if state.force:
                return state.force.pop(0)
            number = params.get("PhoneNumbers", "")
            if not (len(number) == 11 and number.isdigit() and number.startswith("1")):
                return "isv.MOBILE_NUMBER_ILLEGAL"
            if params.get("SignName") != ALIYUN_SIGN:
                return "isv.SMS_SIGNATURE_ILLEGAL"
            variables = state.templates.get(params.get("TemplateCode", ""))
            if variables is None:
                return "isv.SMS_TEMPLATE_ILLEGAL"
            try:
                values = json.loads(params.get("TemplateParam", "{}"))
            except ValueError:
                return "isv.INVALID_JSON_PARAM"
            if sorted(values) != sorted(variables):
                return "isv.TEMPLATE_MISSING_PARAMETERS"
            return "OK"

        def log_message(self, format: str, *args: object) -> None:
            return

    yield from _serve(Handler, state)


# --- Tencent Cloud: POST / with a JSON body, TC3-HMAC-SHA256 ---


def _tc3_ok(headers: dict[str, str], body: bytes) -> bool:
    auth = headers.get("authorization", "")
    prefix = "TC3-HMAC-SHA256 "
    if not auth.startswith(prefix):
        return False
    parts = dict(p.strip().split("=", 1) for p in auth.removeprefix(prefix).split(","))
    secret_id, date, service, terminal = parts.get("Credential", "////").split("/")
    if (secret_id, service, terminal) != (TENCENT_SECRET_ID, "sms", "tc3_request"):
        return False
    if parts.get("SignedHeaders") != "content-type;host":
        return False
    timestamp = headers.get("x-tc-timestamp", "0")
    if abs(int(timestamp) - int(time.time())) > 300:
        return False
    canonical = (
        f"POST\n/\n\ncontent-type:{headers.get('content-type', '')}\n"
        f"host:{headers.get('host', '')}\n\ncontent-type;host\n"
        f"{hashlib.sha256(body).hexdigest()}"
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
        f"{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
    )

    def mac(key: bytes, text: str) -> bytes:
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()

    key = mac(mac(mac(("TC3" + TENCENT_SECRET_KEY).encode(), date), "sms"), "tc3_request")
    expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("Signature", ""))


@contextmanager
def tencent_fake(templates: dict[str, list[str]]) -> Iterator[FakeSms]:
    state = FakeSms(templates=templates)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            request_id = str(uuid.uuid4())
            try:
                params = json.loads(body)
            except ValueError:
                params = {}
            state.received.append(params)

            def error(code: str, message: str) -> None:
                _answer(
                    self,
                    200,
                    {
                        "Response": {
                            "Error": {"Code": code, "Message": message},
                            "RequestId": request_id,
                        }
                    },
                )

            if not _tc3_ok(headers, body):
                state.refused_signatures += 1
                error(
                    "AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated.",
                )
                return
            if (headers.get("x-tc-action"), headers.get("x-tc-version")) != (
                "SendSms",
                "2021-01-11",
            ):
                error("InvalidAction", "The action is not supported.")
                return
            forced = state.force.pop(0) if state.force else ""
            if forced.startswith(("FailedOperation", "AuthFailure", "InternalError")):
                error(forced, forced)
                return
            if params.get("SmsSdkAppId") != TENCENT_APP_ID:
                error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId does not exist.")
                return
            if params.get("SignName") != TENCENT_SIGN:
                error("FailedOperation.SignatureIncorrectOrUnapproved", "bad signature")
                return
            variables = state.templates.get(str(params.get("TemplateId", "")))
            values = params.get("TemplateParamSet") or []
            if variables is None or len(values) != len(variables):
                error("FailedOperation.TemplateIncorrectOrUnapproved", "template unapproved")
                return
            statuses = []
            for number in params.get("PhoneNumberSet") or []:
                code = forced or "Ok"
                if not (number.startswith("+861") and len(number) == 14):
                    code = "InvalidParameterValue.IncorrectPhoneNumber"
                statuses.append(
                    {
                        "SerialNo": f"2028:{uuid.uuid4().int % 10**19}",
                        "PhoneNumber": number,
                        "Fee": 1 if code == "Ok" else 0,
                        "SessionContext": params.get("SessionContext", ""),
                        "Code": code,
                        "Message": "send success" if code == "Ok" else code,
                        "IsoCode": "CN",
                    }
                )
                if code == "Ok":
                    state.sent.append(params)
            _answer(self, 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}})

        def log_message(self, format: str, *args: object) -> None:
            return

    yield from _serve(Handler, state)
