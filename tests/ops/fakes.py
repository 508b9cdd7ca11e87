"""Fake outside services on loopback for the process-level tests and the load script.

``SmsGateway`` is an HTTP SMS gateway that deduplicates on ``client_reference``
(as real gateways do), can stall a request (so a worker can be killed mid-send)
or be down (503). ``SmtpSink`` is a minimal SMTP server that keeps every mail.
Both run in threads of the test process and are stopped by ``close()``.
"""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class SmsRequest:
    to: str
    text: str
    reference: str
    client_reference: str


@dataclass
class _GatewayState:
    requests: list[SmsRequest] = field(default_factory=list)
    down: bool = False
    refused: int = 0
    stall_after: int | None = None
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class SmsGateway:
    """An SMS gateway on ``url``.

    ``requests`` lists every accepted POST in arrival order. ``effects()`` is
    what reached phones: one text per distinct ``client_reference`` (a request
    without one is always a new text), in arrival order.
    """

    def __init__(self) -> None:
        self.state = _GatewayState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                if state.down:
                    with state.lock:
                        state.refused += 1
                    self._answer(503, {"error": "gateway down"})
                    return
                request = SmsRequest(
                    to=str(payload.get("to", "")),
                    text=str(payload.get("text", "")),
                    reference=str(payload.get("reference", "")),
                    client_reference=str(payload.get("client_reference", "")),
                )
                with state.lock:
                    state.requests.append(request)
                    number = len(state.requests)
                    stall = state.stall_after is not None and number > state.stall_after
                if stall:
                    # Received but never answered: the sender cannot know it went out.
                    state.stalled.set()
                    state.release.wait(60)
                    return
                self._answer(200, {"id": f"gw-{number}"})

            def _answer(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def requests(self) -> list[SmsRequest]:
        with self.state.lock:
            return list(self.state.requests)

    def effects(self) -> list[SmsRequest]:
        seen: set[str] = set()
        texts = []
        for request in self.requests:
            if request.client_reference:
                if request.client_reference in seen:
                    continue
                seen.add(request.client_reference)
            texts.append(request)
        return texts

    @property
    def refused(self) -> int:
        """How many requests met a 503 while the gateway was down."""
        with self.state.lock:
            return self.state.refused

    def set_down(self, down: bool) -> None:
        self.state.down = down

    def stall_after(self, count: int) -> None:
        """Accept ``count`` more requests normally, then hold every later one unanswered."""
        with self.state.lock:
            self.state.stall_after = len(self.state.requests) + count

    def unstall(self) -> None:
        with self.state.lock:
            self.state.stall_after = None
        self.state.release.set()

    def close(self) -> None:
        self.unstall()
        self.server.shutdown()
        self.server.server_close()


class SmtpSink:
    """A minimal SMTP server on ``127.0.0.1:port`` keeping every message in ``messages``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def _say(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self._say("220 sink ESMTP")
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    verb = raw.decode("latin-1").strip().split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self._say("250-sink")
                        self._say("250 8BITMIME")
                    elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                        self._say("250 OK")
                    elif verb == "DATA":
                        self._say("354 end with .")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line or line in (b".\r\n", b".\n"):
                                break
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        with lock:
                            sink.messages.append(
                                email.message_from_bytes(
                                    b"".join(lines), policy=email.policy.default
                                )
                            )
                        self._say("250 queued")
                    elif verb == "QUIT":
                        self._say("221 bye")
                        return
                    else:
                        self._say("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
