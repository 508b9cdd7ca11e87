"""The help centre's search inside the portal: public articles by a Chinese substring,
never an internal one."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.core.models import User
from kefu.kb.models import Audience
from tests.kb.builders import make_article

pytestmark = pytest.mark.django_db


def test_a_chinese_substring_finds_the_public_article_and_not_an_internal_one(
    agent: User, manager: User
) -> None:
    make_article(author=agent, reviewer=manager, slug="leak", title_zh="卫生间渗水怎么办")
    make_article(
        author=agent,
        reviewer=manager,
        slug="internal-leak",
        title_zh="渗水工单内部处理流程",
        audience=Audience.INTERNAL,
    )
    page = Client().get("/portal/help/", {"q": "渗水"}).content.decode()
    assert "卫生间渗水怎么办" in page
    assert "/kb/help/a/leak/" in page
    assert "内部处理流程" not in page


def test_a_search_without_results_says_so() -> None:
    page = Client().get("/portal/help/", {"q": "火星"}, headers={"Cookie": ""})
    assert page.status_code == 200
    assert 'data-testid="portal-help-hit"' not in page.content.decode()
