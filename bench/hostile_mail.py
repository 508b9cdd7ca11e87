"""Parse time of hostile HTML mail (docs/security.md, "HTML size and depth").

Run: ``.venv/bin/python -m bench.hostile_mail``. Pure: no database. Prints the time nh3
takes at growing nesting depths (the square law that made a 2.2 MB mail cost minutes),
then the time ``parse_email`` takes on the 2.2 MB mail now that it is kept as text only.
"""

from __future__ import annotations

import time

import nh3

from kefu.channels.email_parse import parse_email


def _mail(html: str) -> bytes:
    head = (
        "From: attacker@example.com\r\nTo: service@kefu.example\r\nSubject: deep\r\n"
        "Message-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + html.encode()


def main() -> None:
    for depth in (10_000, 20_000, 40_000):
        html = "<div>" * depth + "x"
        start = time.perf_counter()
        nh3.clean(html)
        print(f"nh3.clean, depth {depth:>6}: {time.perf_counter() - start:6.2f} s")
    raw = _mail("<p>正文</p>" + "<div>" * 440_000 + "end")
    start = time.perf_counter()
    parsed = parse_email(raw)
    elapsed = time.perf_counter() - start
    print(
        f"parse_email, {len(raw) / 1e6:.1f} MB at depth 440,000: {elapsed:6.2f} s "
        f"(html kept: {bool(parsed.html)}, text {parsed.text[:10]!r})"
    )


if __name__ == "__main__":
    main()
