"""Parse time of hostile HTML mail (docs/security.md, "HTML size and depth").

Run: ``.venv/bin/python bench/hostile_mail.py [--smoke]``. Pure: no database. Prints
one JSON object: the time nh3 takes at growing nesting depths (the square law that made
a 2.2 MB mail cost minutes), then the time ``parse_email`` takes on the 2.2 MB mail now
that it is kept as text only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nh3

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kefu.channels.email_parse import parse_email


def _mail(html: str) -> bytes:
    head = (
        "From: attacker@example.com\r\nTo: service@kefu.example\r\nSubject: deep\r\n"
        "Message-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + html.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="seconds: small depths (make test)")
    args = parser.parse_args()
    depths = (1_000, 2_000) if args.smoke else (10_000, 20_000, 40_000)
    deep = 44_000 if args.smoke else 440_000
    result: dict[str, object] = {"benchmark": "hostile_mail", "nh3_clean_seconds": {}}
    for depth in depths:
        html = "<div>" * depth + "x"
        start = time.perf_counter()
        nh3.clean(html)
        result["nh3_clean_seconds"][str(depth)] = round(time.perf_counter() - start, 3)  # type: ignore[index]
    raw = _mail("<p>正文</p>" + "<div>" * deep + "end")
    start = time.perf_counter()
    parsed = parse_email(raw)
    result["parse_email"] = {
        "megabytes": round(len(raw) / 1e6, 2),
        "depth": deep,
        "seconds": round(time.perf_counter() - start, 3),
        "html_kept": bool(parsed.html),
        "text_starts": parsed.text[:10],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
