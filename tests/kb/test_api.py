"""The knowledge-base API: write, review and publish, versions, search, synonyms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.core.models import User
from tests.kb.builders import make_category

pytestmark = pytest.mark.django_db
Bearer = Callable[[User], dict[str, str]]


def test_an_article_goes_from_draft_to_search_through_the_api(
    agent: User, lead: User, bearer_for: Bearer
) -> None:
    api = Client()
    writer, reviewer = bearer_for(agent), bearer_for(lead)
    created = api.post(
        "/api/v1/kb/articles",
        {
            "category_id": make_category().pk,
            "slug": "leak",
            "title_zh": "卫生间渗水",
            "body_zh": "关闭总阀。",
        },
        content_type="application/json",
        headers=writer,
    )
    assert created.status_code == 201
    article = created.json()
    assert article["missing_languages"] == ["en"]
    base = f"/api/v1/kb/articles/{article['id']}"

    patched = api.patch(
        base,
        {
            "category_id": article["category_id"],
            "title_zh": "卫生间渗水",
            "body_zh": "关闭总阀。",
            "title_en": "Bathroom leak",
            "body_en": "Turn off the main valve.",
            "version": 1,
        },
        content_type="application/json",
        headers=writer,
    )
    stale = api.patch(
        base,
        {"category_id": article["category_id"], "title_zh": "旧", "version": 1},
        content_type="application/json",
        headers=writer,
    )
    assert (patched.status_code, patched.json()["version"]) == (200, 2)
    assert stale.status_code == 409
    assert api.post(f"{base}/submit", headers=writer).status_code == 200
    assert api.post(f"{base}/publish", headers=writer).status_code == 403
    published = api.post(f"{base}/publish", headers=reviewer)
    assert (published.status_code, published.json()["is_published"]) == (200, True)

    versions = api.get(f"{base}/versions", headers=writer).json()
    assert [(v["number"], v["action"], v["changed_by"]) for v in versions] == [
        (4, "published", "lead.zhao"),
        (3, "submitted", "agent.li"),
        (2, "edited", "agent.li"),
        (1, "created", "agent.li"),
    ]
    hits = api.get("/api/v1/kb/search?q=main valve&language=en", headers=writer).json()
    assert [(h["slug"], h["title"]) for h in hits] == [("leak", "Bathroom leak")]


def test_synonyms_and_zero_results_are_for_content_owners(
    agent: User, lead: User, bearer_for: Bearer
) -> None:
    api = Client()
    refused = api.post(
        "/api/v1/kb/synonyms",
        {"words": "退货 退换货"},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    made = api.post(
        "/api/v1/kb/synonyms",
        {"words": "退货，退换货"},
        content_type="application/json",
        headers=bearer_for(lead),
    )
    api.get("/api/v1/kb/search?q=发票抬头", headers=bearer_for(agent))

    assert refused.status_code == 403
    assert made.json()["words"] == ["退货", "退换货"]
    rows = api.get("/api/v1/kb/zero-results", headers=bearer_for(lead)).json()
    assert [(r["query"], r["audience"], r["count"]) for r in rows] == [("发票抬头", "internal", 1)]
    assert api.get("/api/v1/kb/zero-results", headers=bearer_for(agent)).status_code == 403
