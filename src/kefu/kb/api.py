"""The knowledge base API under /api/v1/kb/: articles and their workflow, versions,
search (public or internal), synonyms and searches without results."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from kefu.core.errors import NotFoundError
from kefu.core.requests import request_user as actor_of
from kefu.kb import selectors, services
from kefu.kb.errors import KbErrorCode
from kefu.kb.models import Article, Category

router = Router(tags=["kb"])


class ArticleIn(Schema):
    category_id: int
    audience: str = "public"
    slug: str = ""
    title_zh: str = ""
    title_en: str = ""
    body_zh: str = ""
    body_en: str = ""


class ArticleUpdateIn(ArticleIn):
    version: int


class ArticleOut(Schema):
    id: int
    slug: str
    category_id: int
    audience: str
    status: str
    version: int
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    missing_languages: list[str]
    is_published: bool
    published_at: datetime | None
    helpful_yes: int
    helpful_no: int


class NoteIn(Schema):
    note: str = ""


class VersionOut(Schema):
    number: int
    action: str
    changed_by: str
    changed_at: datetime
    changed: list[str]
    note: str


class HitOut(Schema):
    article_id: int
    slug: str
    title: str
    excerpt: str
    language: str
    is_translation_missing: bool
    audience: str
    section: str
    category: str
    title_match: bool


class SynonymIn(Schema):
    words: str


class SynonymOut(Schema):
    id: int
    words: list[str]


class ZeroResultOut(Schema):
    query: str
    language: str
    audience: str
    count: int
    last_at: datetime


def _out(article: Article) -> ArticleOut:
    return ArticleOut(
        id=article.pk,
        slug=article.slug,
        category_id=article.category_id,
        audience=article.audience,
        status=article.status,
        version=article.version,
        title_zh=article.title_zh,
        title_en=article.title_en,
        body_zh=article.body_zh,
        body_en=article.body_en,
        missing_languages=article.missing_languages(),
        is_published=article.published_version_id is not None,
        published_at=article.published_at,
        helpful_yes=article.helpful_yes,
        helpful_no=article.helpful_no,
    )


def _fields(payload: ArticleIn) -> services.ArticleFields:
    category = Category.objects.filter(pk=payload.category_id).first()
    if category is None:
        raise NotFoundError(KbErrorCode.NO_CATEGORY, _("No such category."))
    return services.ArticleFields(
        category=category,
        audience=payload.audience,
        title_zh=payload.title_zh,
        title_en=payload.title_en,
        body_zh=payload.body_zh,
        body_en=payload.body_en,
    )


@router.get("/articles", response=list[ArticleOut], summary="Articles (working copies)")
def article_list(request: HttpRequest, status: str = "", q: str = "") -> list[ArticleOut]:
    found = selectors.article_list_for(actor_of(request), status=status, query=q)
    return [_out(article) for article in found[:200]]


@router.post("/articles", response={201: ArticleOut}, summary="Write a draft")
def article_create(request: HttpRequest, payload: ArticleIn) -> Status[ArticleOut]:
    actor = actor_of(request)
    selectors.article_list_for(actor)  # the permission check comes before the payload's
    article = services.article_create(
        actor=actor, fields=_fields(payload), at=timezone.now(), slug=payload.slug
    )
    return Status(201, _out(article))


@router.get("/articles/{article_id}", response=ArticleOut, summary="One article")
def article_get(request: HttpRequest, article_id: int) -> ArticleOut:
    return _out(selectors.access_article(actor_of(request), article_id))


@router.patch("/articles/{article_id}", response=ArticleOut, summary="Save a new version")
def article_update(request: HttpRequest, article_id: int, payload: ArticleUpdateIn) -> ArticleOut:
    actor = actor_of(request)
    article = selectors.access_article(actor, article_id)
    services.article_update(
        actor=actor,
        article=article,
        fields=_fields(payload),
        expected_version=payload.version,
        at=timezone.now(),
    )
    return _out(article)


@router.post("/articles/{article_id}/submit", response=ArticleOut, summary="Send for review")
def article_submit(request: HttpRequest, article_id: int) -> ArticleOut:
    actor = actor_of(request)
    article = selectors.access_article(actor, article_id)
    return _out(services.article_submit(actor=actor, article=article, at=timezone.now()))


@router.post("/articles/{article_id}/publish", response=ArticleOut, summary="Publish")
def article_publish(request: HttpRequest, article_id: int) -> ArticleOut:
    actor = actor_of(request)
    article = selectors.access_article(actor, article_id)
    return _out(services.article_publish(actor=actor, article=article, at=timezone.now()))


@router.post("/articles/{article_id}/return", response=ArticleOut, summary="Return to draft")
def article_return(request: HttpRequest, article_id: int, payload: NoteIn) -> ArticleOut:
    actor = actor_of(request)
    article = selectors.access_article(actor, article_id)
    return _out(
        services.article_return(actor=actor, article=article, note=payload.note, at=timezone.now())
    )


@router.get(
    "/articles/{article_id}/versions", response=list[VersionOut], summary="Versions, newest first"
)
def article_versions(request: HttpRequest, article_id: int) -> list[VersionOut]:
    actor = actor_of(request)
    article = selectors.access_article(actor, article_id)
    return [
        VersionOut(
            number=line.version.number,
            action=line.version.action,
            changed_by=line.version.changed_by.get_username(),
            changed_at=line.version.changed_at,
            changed=line.changed,
            note=line.version.note,
        )
        for line in selectors.article_versions(actor, article)
    ]


@router.get("/search", response=list[HitOut], summary="Search published articles")
def search(
    request: HttpRequest, q: str, language: str = "zh-hans", audience: str = "internal"
) -> list[HitOut]:
    selectors.article_list_for(actor_of(request))  # staff only: WORK_CASES
    hits = selectors.search_articles(q, language=language, audience=audience, limit=20)
    return [HitOut(**hit.__dict__) for hit in hits]


@router.get("/synonyms", response=list[SynonymOut], summary="Synonym groups")
def synonym_list(request: HttpRequest) -> list[SynonymOut]:
    return [
        SynonymOut(id=group.pk, words=group.word_list())
        for group in selectors.synonym_list(actor_of(request))
    ]


@router.post("/synonyms", response={201: SynonymOut}, summary="Add a synonym group")
def synonym_create(request: HttpRequest, payload: SynonymIn) -> Status[SynonymOut]:
    group = services.synonym_create(actor=actor_of(request), words=payload.words, at=timezone.now())
    return Status(201, SynonymOut(id=group.pk, words=group.word_list()))


@router.get("/zero-results", response=list[ZeroResultOut], summary="Searches that found nothing")
def zero_results(request: HttpRequest) -> list[ZeroResultOut]:
    return [
        ZeroResultOut(
            query=row.query,
            language=row.language,
            audience=row.audience,
            count=row.count,
            last_at=row.last_at,
        )
        for row in selectors.zero_result_searches(actor_of(request))[:200]
    ]
