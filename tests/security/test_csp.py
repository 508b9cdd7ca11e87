"""Content-Security-Policy ``script-src 'self'`` on every page, and templates that need
nothing more: no inline script, no inline event handler (issue 23, weakness 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from kefu.core.models import User

SRC = Path(__file__).resolve().parents[2] / "src" / "kefu"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))


def _policy(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (item.strip() for item in header.split(";"))
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/login/", "/", "/cases/", "/admin/login/", "/api/v1/me", "/no-such-page/"]
)
def test_every_answer_carries_the_policy(client: Client, agent: User, path: str) -> None:
    client.force_login(agent)

    response = client.get(path)

    policy = _policy(response)
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy.get("default-src", "")


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", text, flags=re.IGNORECASE)
    assert "javascript:" not in text.lower()
    assert "hx-on" not in text
