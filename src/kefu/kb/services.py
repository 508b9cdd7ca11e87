"""Writes of the knowledge base: articles and their workflow (draft, review,
publish), versions, images, synonyms, searches that found nothing, feedback.

Every content save and every workflow step adds an ``ArticleVersion`` (who,
when, what the article then held). Readers see only the published version:
editing a published article leaves it live until the change is published.
Stable for other apps: ``article_feedback`` (see kefu.kb.selectors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Message
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.uploads import safe_filename
from kefu.kb import text
from kefu.kb.errors import KbErrorCode
from kefu.kb.models import (
    Article,
    ArticleImage,
    ArticleVersion,
    Audience,
    Category,
    Section,
    Synonym,
    ZeroResultSearch,
)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
_IMAGE_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}


@dataclass(frozen=True)
class ArticleFields:
    """What an editor sets on an article's working copy."""

    category: Category
    audience: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str


def _version(
    *, article: Article, action: str, actor: User, at: datetime, note: str = ""
) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        action=action,
        category_id_snapshot=article.category_id,
        audience=article.audience,
        title_zh=article.title_zh,
        title_en=article.title_en,
        body_zh=article.body_zh,
        body_en=article.body_en,
        note=note[:300],
        changed_by=actor,
        changed_at=at,
    )


def _check(fields: ArticleFields) -> None:
    if fields.audience not in Audience.values:
        raise DomainError(KbErrorCode.BAD_AUDIENCE, _("The audience is public or internal."))
    if not (fields.title_zh.strip() or fields.title_en.strip()):
        raise DomainError(
            KbErrorCode.NO_LANGUAGE, _("Give the article a title in Chinese or in English.")
        )


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "article")[:100]
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_create(
    *,
    actor: User,
    fields: ArticleFields,
    at: datetime,
    slug: str = "",
    source_message: Message | None = None,
) -> Article:
    """A new draft with version 1. Anyone who works cases may write one. ``slug``
    (the address on the help pages) defaults to one made from the title."""
    authorize(actor, Perm.WORK_CASES)
    _check(fields)
    slug = slugify(slug)[:120] or _unique_slug(fields.title_en or f"article-{at:%Y%m%d-%H%M}")
    if Article.objects.filter(slug=slug).exists():
        raise ConflictError(
            KbErrorCode.SLUG_TAKEN, _("Another article has the address %(slug)s."), slug=slug
        )
    try:
        with transaction.atomic():
            article = Article.objects.create(
                slug=slug,
                category=fields.category,
                audience=fields.audience,
                title_zh=fields.title_zh.strip(),
                title_en=fields.title_en.strip(),
                body_zh=fields.body_zh,
                body_en=fields.body_en,
                version=1,
                created_by=actor,
                created_at=at,
                updated_at=at,
                source_message_id=source_message.pk if source_message else None,
            )
    except IntegrityError:
        raise ConflictError(
            KbErrorCode.SLUG_TAKEN, _("Another article has the address %(slug)s."), slug=slug
        ) from None
    action = ArticleVersion.Action.PROPOSED if source_message else ArticleVersion.Action.CREATED
    _version(article=article, action=action, actor=actor, at=at)
    return article


def _advance(article: Article, *, expected: int, **changes: object) -> None:
    """Compare-and-swap on ``version``: two editors saving at once make one version."""
    updated = Article.objects.filter(pk=article.pk, version=expected).update(
        version=expected + 1, **changes
    )
    if updated != 1:
        raise ConflictError(
            KbErrorCode.CHANGED_CONCURRENTLY,
            _("Someone else changed this article meanwhile; reload it and make your change again."),
        )
    article.refresh_from_db()


@transaction.atomic
def article_update(
    *, actor: User, article: Article, fields: ArticleFields, expected_version: int, at: datetime
) -> Article:
    """Save the working copy (a new version). A published article goes back to
    draft with its published version still live; one in review stays in review."""
    authorize(actor, Perm.WORK_CASES)
    _check(fields)
    status = article.status
    if status == Article.Status.PUBLISHED:
        status = Article.Status.DRAFT
    _advance(
        article,
        expected=expected_version,
        category=fields.category,
        audience=fields.audience,
        title_zh=fields.title_zh.strip(),
        title_en=fields.title_en.strip(),
        body_zh=fields.body_zh,
        body_en=fields.body_en,
        status=status,
        updated_at=at,
    )
    _version(article=article, action=ArticleVersion.Action.EDITED, actor=actor, at=at)
    return article


def _require(article: Article, *statuses: str) -> None:
    if article.status not in statuses:
        raise DomainError(
            KbErrorCode.WRONG_STATUS,
            _("The article is %(status)s; this step is not possible now."),
            status=article.get_status_display(),
        )


@transaction.atomic
def article_submit(*, actor: User, article: Article, at: datetime) -> Article:
    """Send a draft for review; it needs the title and text of at least one language."""
    authorize(actor, Perm.WORK_CASES)
    _require(article, Article.Status.DRAFT)
    if len(article.missing_languages()) == 2:
        raise DomainError(
            KbErrorCode.NO_LANGUAGE,
            _("Write the title and text in at least one language before sending it for review."),
        )
    _advance(article, expected=article.version, status=Article.Status.IN_REVIEW, updated_at=at)
    _version(article=article, action=ArticleVersion.Action.SUBMITTED, actor=actor, at=at)
    return article


@transaction.atomic
def article_return(*, actor: User, article: Article, note: str, at: datetime) -> Article:
    """Send an article in review back to draft, saying what to change."""
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    _require(article, Article.Status.IN_REVIEW)
    if not note.strip():
        raise DomainError(
            KbErrorCode.NOTE_REQUIRED, _("Say what the author should change before returning it.")
        )
    _advance(article, expected=article.version, status=Article.Status.DRAFT, updated_at=at)
    _version(article=article, action=ArticleVersion.Action.RETURNED, actor=actor, at=at, note=note)
    return article


@transaction.atomic
def article_publish(*, actor: User, article: Article, at: datetime) -> Article:
    """Publish an article in review: its working copy becomes what readers see and search."""
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    _require(article, Article.Status.IN_REVIEW)
    _advance(article, expected=article.version, status=Article.Status.PUBLISHED, updated_at=at)
    version = _version(article=article, action=ArticleVersion.Action.PUBLISHED, actor=actor, at=at)
    Article.objects.filter(pk=article.pk).update(
        published_version=version,
        published_at=at,
        live_audience=article.audience,
        title_terms=text.search_terms(article.title_zh, article.title_en),
        body_terms=text.search_terms(article.body_zh, article.body_en),
    )
    article.refresh_from_db()
    return article


@transaction.atomic
def article_unpublish(*, actor: User, article: Article, at: datetime) -> Article:
    """Take a published article off the help pages and out of search (kept as a draft)."""
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    if article.published_version_id is None:
        raise DomainError(KbErrorCode.WRONG_STATUS, _("The article is not published."))
    _advance(
        article,
        expected=article.version,
        status=Article.Status.DRAFT,
        published_version=None,
        published_at=None,
        live_audience="",
        title_terms="",
        body_terms="",
        updated_at=at,
    )
    _version(article=article, action=ArticleVersion.Action.UNPUBLISHED, actor=actor, at=at)
    return article


def default_category() -> Category:
    category = Category.objects.order_by("section__position", "position", "pk").first()
    if category is None:
        raise DomainError(
            KbErrorCode.NO_CATEGORY,
            _("The knowledge base has no category yet; ask a team lead to add a section."),
        )
    return category


def article_propose_from_reply(
    *, actor: User, case: Case, message: Message, at: datetime
) -> Article:
    """A draft built from a reply an agent sent on ``case`` (the case's subject as title,
    the reply as text, in the customer's language). ``case`` comes from access_case."""
    if message.case_id != case.pk or message.direction != Message.Direction.OUTBOUND:
        raise DomainError(
            KbErrorCode.NOT_A_REPLY, _("Only a reply sent to the customer can be proposed.")
        )
    english = case.contact.language == "en"
    title = case.subject.strip()[:200] or _("Proposed article")
    fields = ArticleFields(
        category=default_category(),
        audience=Audience.PUBLIC,
        title_zh="" if english else str(title),
        title_en=str(title) if english else "",
        body_zh="" if english else message.body,
        body_en=message.body if english else "",
    )
    return article_create(
        actor=actor,
        fields=fields,
        at=at,
        slug=_unique_slug(f"proposed-{case.reference}"),
        source_message=message,
    )


def _image_type(head: bytes) -> str:
    for kind, magics in _IMAGE_MAGIC.items():
        if head.startswith(magics):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return ""


@transaction.atomic
def article_image_add(
    *, actor: User, article: Article, upload: UploadedFile, at: datetime
) -> ArticleImage:
    """Attach an image (PNG, JPEG, GIF or WebP, read from its bytes, at most 5 MB)."""
    authorize(actor, Perm.WORK_CASES)
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        raise DomainError(KbErrorCode.IMAGE_TOO_LARGE, _("An image may be at most 5 MB."))
    head = upload.read(16)
    upload.seek(0)
    kind = _image_type(head)
    if not kind:
        raise DomainError(
            KbErrorCode.BAD_IMAGE, _("Only PNG, JPEG, GIF and WebP images can be attached.")
        )
    name = safe_filename(upload.name or "", fallback="image")
    image = ArticleImage(
        article=article,
        filename=name,
        content_type=kind,
        size=upload.size or 0,
        uploaded_by=actor,
        uploaded_at=at,
    )
    image.file.save(name, upload, save=False)
    image.save()
    return image


_WORDS = re.compile(r"[\s,，、;；]+")


def synonym_create(*, actor: User, words: str, at: datetime) -> Synonym:
    """A synonym group of at least two words (separated by spaces or commas)."""
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    listed = list(dict.fromkeys(word for word in _WORDS.split(words.strip()) if word))
    if len(listed) < 2:
        raise DomainError(KbErrorCode.BAD_SYNONYMS, _("A synonym group needs at least two words."))
    return Synonym.objects.create(words=" ".join(listed)[:300], created_by=actor, created_at=at)


def synonym_delete(*, actor: User, synonym_id: int) -> None:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    deleted, _rows = Synonym.objects.filter(pk=synonym_id).delete()
    if not deleted:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such synonym group."))


def search_miss_record(
    *, query: str, language: str, audience: str, at: datetime | None = None
) -> None:
    """Count a search that found nothing (one row per query, language and audience)."""
    at = at or timezone.now()
    query = query[:200]
    with transaction.atomic():
        updated = ZeroResultSearch.objects.filter(
            query=query, language=language, audience=audience
        ).update(count=F("count") + 1, last_at=at)
        if updated:
            return
        try:
            with transaction.atomic():
                ZeroResultSearch.objects.create(
                    query=query,
                    language=language,
                    audience=audience,
                    count=1,
                    first_at=at,
                    last_at=at,
                )
        except IntegrityError:
            ZeroResultSearch.objects.filter(
                query=query, language=language, audience=audience
            ).update(count=F("count") + 1, last_at=at)


@dataclass(frozen=True)
class Feedback:
    helpful_yes: int
    helpful_no: int


def article_feedback(*, slug: str, helpful: bool, audience: str = "public") -> Feedback:
    """Count one "did this help?" answer on the published article ``slug`` that
    ``audience`` may read ("public" for customers); returns the new counts.
    NotFoundError for a draft, an internal article (public audience) or no such slug."""
    from kefu.kb.selectors import live_articles

    found = live_articles(audience).filter(slug=slug)
    counter = "helpful_yes" if helpful else "helpful_no"
    if found.update(**{counter: F(counter) + 1}) != 1:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such article."))
    article = Article.objects.get(slug=slug)
    return Feedback(helpful_yes=article.helpful_yes, helpful_no=article.helpful_no)


def section_create(*, actor: User, slug: str, name_zh: str, name_en: str) -> Section:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    slug = slugify(slug)
    if not slug or Section.objects.filter(slug=slug).exists():
        raise ConflictError(
            KbErrorCode.SLUG_TAKEN, _("Another section has the address %(slug)s."), slug=slug
        )
    position = Section.objects.count()
    return Section.objects.create(slug=slug, name_zh=name_zh, name_en=name_en, position=position)


def category_create(
    *, actor: User, section: Section, slug: str, name_zh: str, name_en: str
) -> Category:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    slug = slugify(slug)
    if not slug or section.categories.filter(slug=slug).exists():
        raise ConflictError(
            KbErrorCode.SLUG_TAKEN, _("Another category has the address %(slug)s."), slug=slug
        )
    return Category.objects.create(
        section=section,
        slug=slug,
        name_zh=name_zh,
        name_en=name_en,
        position=section.categories.count(),
    )
