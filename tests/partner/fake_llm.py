"""A local stand-in for an OpenAI-compatible chat completions server.

It serves ``POST /v1/chat/completions`` on 127.0.0.1 in a thread, checks the
bearer key and the request's fields as the real servers do (``model`` and a
non-empty ``messages`` list of role/content objects), and answers in the real
JSON shape (``id``, ``object: chat.completion``, ``choices[].message``,
``usage``). Errors come in OpenAI's error shape. Tests set what it answers:
a text (or a function of the request), an HTTP status, a delay, or a body that
is not JSON. Also used by bench/partner.py.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "sk-test-partner"
MODEL = "qwen-plus"

Reply = Callable[[dict[str, Any]], str]


@dataclass
class FakeLLM:
    url: str = ""
    reply: str | Reply = "您好，我们已经安排师傅明天上午上门。"
    status: int = 200
    delay: float = 0.0
    malformed: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def sent_text(self) -> str:
        """Everything the requests carried, as one string (what left kefu)."""
        return json.dumps(self.requests, ensure_ascii=False)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(body)  # the client may have given up (a timeout test)


def _error(handler: BaseHTTPRequestHandler, status: int, message: str, kind: str) -> None:
    body = {"error": {"message": message, "type": kind, "param": None, "code": kind}}
    _send(handler, status, json.dumps(body).encode(), "application/json")


@contextmanager
def serve() -> Iterator[FakeLLM]:
    state = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                _error(self, 404, "not found", "not_found")
                return
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                _error(self, 401, "Incorrect API key provided.", "invalid_api_key")
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                request = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                _error(self, 400, "invalid JSON body", "invalid_request_error")
                return
            messages = request.get("messages")
            if (
                request.get("model") != MODEL
                or not isinstance(messages, list)
                or not messages
                or not all(
                    isinstance(m, dict) and m.get("role") and isinstance(m.get("content"), str)
                    for m in messages
                )
            ):
                _error(self, 400, "model and messages are required", "invalid_request_error")
                return
            state.requests.append(request)
            if state.delay:
                time.sleep(state.delay)
            if state.status == 429:
                _error(self, 429, "Rate limit reached for requests", "rate_limit_exceeded")
                return
            if state.status >= 400:
                _error(self, state.status, "The server had an error", "server_error")
                return
            if state.malformed:
                _send(self, 200, b'{"id": "chatcmpl-1", "choices": [', "application/json")
                return
            text = state.reply(request) if callable(state.reply) else state.reply
            prompt_tokens = sum(len(m["content"]) for m in messages) // 2 + 1
            body = {
                "id": f"chatcmpl-{len(state.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": len(text) // 2 + 1,
                    "total_tokens": prompt_tokens + len(text) // 2 + 1,
                },
            }
            _send(
                self,
                200,
                json.dumps(body, ensure_ascii=False).encode("utf-8"),
                "application/json; charset=utf-8",
            )

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
