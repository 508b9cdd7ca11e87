"""Drafts, review and publish; a version per save with who changed what; readers see
only the published version; permission checks in the services."""

from __future__ import annotations

import pytest

from kefu.core.errors import ConflictError, DomainError, PermissionDeniedError
from kefu.core.models import User
from kefu.kb import selectors, services
from kefu.kb.models import Article, ArticleVersion
from tests.kb.builders import NOW, fields, make_article

pytestmark = pytest.mark.django_db


def test_draft_review_publish_leaves_one_version_per_step(agent: User, lead: User) -> None:
    article = services.article_create(actor=agent, fields=fields(), at=NOW, slug="leak")
    services.article_update(
        actor=agent,
        article=article,
        fields=fields(title_en="Water leaking", body_en="Turn off the main valve."),
        expected_version=1,
        at=NOW,
    )
    services.article_submit(actor=agent, article=article, at=NOW)
    services.article_publish(actor=lead, article=article, at=NOW)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    rows = list(
        ArticleVersion.objects.filter(article=article)
        .order_by("number")
        .values_list("number", "action", "changed_by__username")
    )
    assert rows == [
        (1, "created", "agent.li"),
        (2, "edited", "agent.li"),
        (3, "submitted", "agent.li"),
        (4, "published", "lead.zhao"),
    ]
    assert article.published_version == ArticleVersion.objects.get(article=article, number=4)
    lines = selectors.article_versions(agent, article)
    assert lines[2].changed == ["English title", "English text"]


def test_an_agent_cannot_publish_and_nothing_changes(agent: User) -> None:
    article = services.article_create(actor=agent, fields=fields(), at=NOW)
    services.article_submit(actor=agent, article=article, at=NOW)

    with pytest.raises(PermissionDeniedError):
        services.article_publish(actor=agent, article=article, at=NOW)

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.published_version is None
    assert article.versions.count() == 2


def test_returning_needs_a_note_and_goes_back_to_draft(agent: User, lead: User) -> None:
    article = services.article_create(actor=agent, fields=fields(), at=NOW)
    services.article_submit(actor=agent, article=article, at=NOW)
    with pytest.raises(DomainError) as refused:
        services.article_return(actor=lead, article=article, note=" ", at=NOW)
    assert refused.value.code == "kb_note_required"

    services.article_return(actor=lead, article=article, note="补充英文", at=NOW)

    assert article.status == Article.Status.DRAFT
    assert article.versions.get(number=3).note == "补充英文"


def test_editing_a_published_article_keeps_the_published_version_live(
    agent: User, lead: User
) -> None:
    article = make_article(author=agent, reviewer=lead, slug="leak", title_zh="卫生间渗水")
    services.article_update(
        actor=agent,
        article=article,
        fields=fields(title_zh="改过的标题"),
        expected_version=article.version,
        at=NOW,
    )

    assert article.status == Article.Status.DRAFT
    assert selectors.public_article("leak", language="zh-hans").title == "卫生间渗水"


def test_two_editors_saving_the_same_version_make_one_version(agent: User, lead: User) -> None:
    article = services.article_create(actor=agent, fields=fields(), at=NOW)
    services.article_update(
        actor=agent, article=article, fields=fields(title_zh="一"), expected_version=1, at=NOW
    )

    with pytest.raises(ConflictError):
        services.article_update(
            actor=lead, article=article, fields=fields(title_zh="二"), expected_version=1, at=NOW
        )
    assert Article.objects.get(pk=article.pk).title_zh == "一"


def test_a_draft_without_any_language_cannot_be_sent_for_review(agent: User) -> None:
    article = services.article_create(
        actor=agent, fields=fields(title_zh="只有标题", body_zh=""), at=NOW
    )

    with pytest.raises(DomainError) as refused:
        services.article_submit(actor=agent, article=article, at=NOW)
    assert refused.value.code == "kb_no_language"


def test_unpublishing_hides_the_article(agent: User, lead: User) -> None:
    article = make_article(author=agent, reviewer=lead, slug="leak")

    services.article_unpublish(actor=lead, article=article, at=NOW)

    with pytest.raises(DomainError):
        selectors.public_article("leak", language="zh-hans")
    assert selectors.search_articles("渗水", language="zh-hans", record_misses=False) == []


def test_feedback_counts_answers_on_published_public_articles_only(agent: User, lead: User) -> None:
    make_article(author=agent, reviewer=lead, slug="leak")
    make_article(author=agent, reviewer=lead, slug="secret", audience="internal")

    services.article_feedback(slug="leak", helpful=True)
    counts = services.article_feedback(slug="leak", helpful=False)

    assert (counts.helpful_yes, counts.helpful_no) == (1, 1)
    with pytest.raises(DomainError):
        services.article_feedback(slug="secret", helpful=True)
    assert Article.objects.get(slug="secret").helpful_yes == 0
