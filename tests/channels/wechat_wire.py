"""What the WeCom and Official Account fakes answer alike: Tencent's JSON bodies, the
path and query of a request, and a media file from ``cgi-bin/media/get``."""

from __future__ import annotations

import json
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Any


def answer(handler: BaseHTTPRequestHandler, data: dict[str, Any], status: int = 200) -> None:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def parts(handler: BaseHTTPRequestHandler) -> tuple[str, dict[str, str]]:
    parsed = urllib.parse.urlsplit(handler.path)
    return parsed.path, dict(urllib.parse.parse_qsl(parsed.query))


def read_json(handler: BaseHTTPRequestHandler) -> Any:
    length = int(handler.headers.get("Content-Length", "0"))
    return json.loads(handler.rfile.read(length) or b"{}")


def media(handler: BaseHTTPRequestHandler, found: tuple[str, str, bytes] | None) -> None:
    """The file as WeChat sends it, or errcode 40007 for an unknown ``media_id``."""
    if found is None:
        answer(handler, {"errcode": 40007, "errmsg": "invalid media_id"})
        return
    name, kind, content = found
    handler.send_response(200)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Disposition", f'attachment; filename="{name}"')
    handler.send_header("Content-Length", str(len(content)))
    handler.end_headers()
    handler.wfile.write(content)
