"""Typed builders for knowledge-base tests: sections, categories, published articles."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from kefu.core.models import User
from kefu.kb import services
from kefu.kb.models import Article, Audience, Category, Section

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_numbers = itertools.count(1)


def make_category(*, section_slug: str = "after-sales", slug: str = "repairs") -> Category:
    section, _created = Section.objects.get_or_create(
        slug=section_slug, defaults={"name_zh": "售后服务", "name_en": "After-sales"}
    )
    category, _created = Category.objects.get_or_create(
        section=section, slug=slug, defaults={"name_zh": "维修", "name_en": "Repairs"}
    )
    return category


def fields(
    *,
    category: Category | None = None,
    audience: str = Audience.PUBLIC,
    title_zh: str = "卫生间渗水怎么办",
    title_en: str = "",
    body_zh: str = "先关闭总阀，再拍照发给我们。",
    body_en: str = "",
) -> services.ArticleFields:
    return services.ArticleFields(
        category=category or make_category(),
        audience=audience,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
    )


def make_article(
    *, author: User, reviewer: User, publish: bool = True, slug: str = "", **values: str
) -> Article:
    """An article written by ``author``, sent for review and (``publish``) published by
    ``reviewer``."""
    article = services.article_create(
        actor=author,
        fields=fields(**values),  # type: ignore[arg-type]
        at=NOW,
        slug=slug or f"article-{next(_numbers)}",
    )
    if publish:
        services.article_submit(actor=author, article=article, at=NOW)
        services.article_publish(actor=reviewer, article=article, at=NOW)
    return article
