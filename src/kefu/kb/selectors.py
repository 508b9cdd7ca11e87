"""Reads of the knowledge base, shared by the staff pages, the help pages, the API,
the case page's panel and the customer portal.

Stable API for other apps (keep these names and keywords):

``search_articles(query, *, language, audience="public", limit=10) -> list[ArticleHit]``
    Published articles holding ``query`` (Chinese substrings too: the bigram
    terms of ``kefu.cases.search``), articles whose title holds it first, then
    those whose text does. ``audience="public"``: only public articles (what a
    customer may read); ``"internal"``: public and internal ones (what staff
    read). Drafts and changes not yet published never appear. Synonym groups
    widen the query. A search that finds nothing is counted for the content
    owner (the one write a read makes; ``record_misses=False`` skips it).
    Each hit has ``slug``, ``title``, ``excerpt``, ``language`` (the one shown:
    ``language`` when the article has it, else the other), ``is_translation_missing``,
    ``audience``, ``section``, ``category`` and ``article_id``.

``public_article(slug, *, language) -> PublicArticle``
    The published public article ``slug`` in ``language`` (else in the other
    language, ``is_translation_missing`` set): ``title``, ``html`` (sanitized,
    safe to mark safe), ``other_language`` ("" when the article has only one),
    section and category names. Raises ``NotFoundError`` (code
    ``kb_article_not_found``, 404) for a draft, an internal article or no such slug.

``kefu.kb.services.article_feedback(*, slug, helpful, audience="public") -> Feedback``
    records a "did this help?" answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from kefu.cases import search
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.kb import text
from kefu.kb.errors import KbErrorCode
from kefu.kb.models import (
    Article,
    ArticleImage,
    ArticleVersion,
    Audience,
    Section,
    Synonym,
    ZeroResultSearch,
)

AUDIENCES = ("public", "internal")
MAX_QUERY = 100
SUGGEST_TERMS = 48
CANDIDATES = 100


@dataclass(frozen=True)
class ArticleHit:
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


@dataclass(frozen=True)
class PublicArticle:
    article_id: int
    slug: str
    title: str
    html: str
    language: str
    requested_language: str
    is_translation_missing: bool
    other_language: str
    section: str
    section_slug: str
    category: str
    published_at: datetime | None
    helpful_yes: int
    helpful_no: int


def _language(language: str) -> str:
    return "en" if language.startswith("en") else "zh-hans"


def _other(language: str) -> str:
    return "zh-hans" if language == "en" else "en"


def _content(version: ArticleVersion, language: str) -> tuple[str, str]:
    if language == "en":
        return version.title_en, version.body_en
    return version.title_zh, version.body_zh


def _has(version: ArticleVersion, language: str) -> bool:
    title, body = _content(version, language)
    return bool(title.strip() and body.strip())


def shown_language(version: ArticleVersion, language: str) -> str:
    """``language`` when ``version`` has it, else the other one (never machine-filled)."""
    wanted = _language(language)
    return wanted if _has(version, wanted) or not _has(version, _other(wanted)) else _other(wanted)


def live_articles(audience: str) -> QuerySet[Article]:
    """Published articles ``audience`` may read ("public": public ones; "internal": all)."""
    if audience not in AUDIENCES:
        raise DomainError(KbErrorCode.BAD_AUDIENCE, _("The audience is public or internal."))
    live = Article.objects.filter(published_version__isnull=False)
    if audience == "public":
        live = live.filter(live_audience=Audience.PUBLIC)
    return live


def _fts_phrase(terms: list[str]) -> str:
    return "(" + " AND ".join(f'"{t}"' + ("" if not t.isascii() else "*") for t in terms) + ")"


def _pg_query(terms: list[str]) -> str:
    return "(" + " & ".join(f"'{t}'" + ("" if not t.isascii() else ":*") for t in terms) + ")"


_PG_TITLE = "to_tsvector('simple', kb_article.title_terms) @@ to_tsquery('simple', %s)"
_PG_ALL = (
    "to_tsvector('simple', kb_article.title_terms || ' ' || kb_article.body_terms) "
    "@@ to_tsquery('simple', %s)"
)


def _clean_terms(query: str) -> list[str]:
    # Quotes cannot reach the index syntax: terms are CJK runs and [0-9a-z]+ only.
    return search.query_terms(query)


_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _single_phrase(variant: str) -> str:
    """FTS5 syntax for a query of lone Chinese characters (no bigram): each must start
    a term (a prefix query); "" when it holds none. Only the characters themselves
    reach the syntax, never quotes or operators from the query."""
    characters = _CJK_CHAR.findall(variant)
    return "(" + " AND ".join(f'"{c}"*' for c in characters) + ")" if characters else ""


def _single(variant: str, *, title_only: bool) -> Q:
    """Articles holding the lone characters of ``variant``: SQLite through the index
    (``_single_phrase``), PostgreSQL as a substring of the terms."""
    characters = _CJK_CHAR.findall(variant)
    if not characters:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        found = Q()
        for character in characters:
            one = Q(title_terms__contains=character)
            found &= one if title_only else one | Q(body_terms__contains=character)
        return found
    phrase = _single_phrase(variant)
    if title_only:
        phrase = "{title_terms} : " + phrase
    return Q(
        pk__in=RawSQL("SELECT rowid FROM kb_article_fts WHERE kb_article_fts MATCH %s", [phrase])
    )


def _match(variants: list[str], *, title_only: bool) -> Q:
    """Articles whose (title) terms hold every term of one of ``variants``."""
    groups = [_clean_terms(v) for v in variants]
    single = [v for v, terms in zip(variants, groups, strict=True) if not terms]
    groups = [terms for terms in groups if terms]
    match = Q(pk__in=[])
    if groups:
        if connection.vendor == "postgresql":
            sql = _PG_TITLE if title_only else _PG_ALL
            match |= Q(
                RawSQL(  # noqa: S611  (constant SQL; the query is a bound parameter)
                    sql,
                    [" | ".join(_pg_query(terms) for terms in groups)],
                    output_field=BooleanField(),
                )
            )
        else:
            phrase = " OR ".join(_fts_phrase(terms) for terms in groups)
            if title_only:
                phrase = "{title_terms} : (" + phrase + ")"
            match |= Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM kb_article_fts WHERE kb_article_fts MATCH %s", [phrase]
                )
            )
    for character in single:
        match |= _single(character, title_only=title_only)
    return match


def synonym_groups() -> list[list[str]]:
    return [group.word_list() for group in Synonym.objects.all()]


def _hit(article: Article, language: str, query: str, *, title_match: bool) -> ArticleHit:
    version = article.published_version
    assert version is not None  # noqa: S101  (live_articles holds published ones only)
    shown = shown_language(version, language)
    title, body = _content(version, shown)
    return ArticleHit(
        article_id=article.pk,
        slug=article.slug,
        title=title,
        excerpt=text.excerpt(text.plain(body), query),
        language=shown,
        is_translation_missing=shown != _language(language),
        audience=article.live_audience,
        section=article.category.section.name_in(shown),
        category=article.category.name_in(shown),
        title_match=title_match,
    )


FEW_MATCHES = 400
_INDEXED = " INDEXED BY kb_article_rank"
_RANK_SQLITE = (
    "SELECT a.id, CASE WHEN a.id IN (SELECT rowid FROM kb_article_fts "
    "WHERE kb_article_fts MATCH %s) THEN 0 ELSE 1 END AS title_rank "
    "FROM kb_article AS a INDEXED BY kb_article_rank "  # _INDEXED
    "WHERE a.published_version_id IS NOT NULL AND a.live_audience IN (%s, %s) "
    "AND a.id IN (SELECT rowid FROM kb_article_fts WHERE kb_article_fts MATCH %s) "
    "ORDER BY title_rank, a.helpful_yes DESC, a.published_at DESC, a.id LIMIT %s"
)


def _ranked_sqlite(variants: list[str], *, audience: str, limit: int) -> list[tuple[int, int]]:
    """(id, 0 for a title match else 1) of the best ``limit`` matches, SQLite.

    The filter and the order are read from the covering index kb_article_rank
    (INDEXED BY): checking thousands of matches in the table itself would read
    each wide row, text and all."""
    live_articles(audience)  # the audience check
    phrases = [
        _fts_phrase(terms) if (terms := _clean_terms(v)) else _single_phrase(v) for v in variants
    ]
    phrase = " OR ".join(p for p in phrases if p)
    if not phrase:
        return []
    audiences = ("public", "public") if audience == "public" else ("public", "internal")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT rowid FROM kb_article_fts "
            "WHERE kb_article_fts MATCH %s LIMIT %s)",
            [phrase, FEW_MATCHES],
        )
        (matches,) = cursor.fetchone()
        if not matches:
            return []
        # Few matches: look each up by id; many: walk the covering index instead.
        cursor.execute(
            _RANK_SQLITE if matches >= FEW_MATCHES else _RANK_SQLITE.replace(_INDEXED, ""),
            ["{title_terms} : (" + phrase + ")", *audiences, phrase, max(limit, 0)],
        )
        return [(int(pk), int(rank)) for pk, rank in cursor.fetchall()]


def search_articles(
    query: str,
    *,
    language: str,
    audience: str = "public",
    limit: int = 10,
    record_misses: bool = True,
) -> list[ArticleHit]:
    """See the module docstring (stable API)."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return []
    variants = text.variants(query, synonym_groups())
    in_title = _match(variants, title_only=True)
    # Ranked on the ids alone (the sort never carries article text), then the few
    # rows shown are read whole.
    if connection.vendor == "sqlite":
        ranked = _ranked_sqlite(variants, audience=audience, limit=limit)
    else:
        ranked = list(
            live_articles(audience)
            .filter(_match(variants, title_only=False))
            .annotate(
                title_rank=Case(
                    When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("title_rank", "-helpful_yes", "-published_at", "pk")
            .values_list("pk", "title_rank")[: max(limit, 0)]
        )
    rows = Article.objects.select_related("published_version", "category__section").in_bulk(
        [pk for pk, _rank in ranked]
    )
    hits = [_hit(rows[pk], language, query, title_match=rank == 0) for pk, rank in ranked]
    if not hits and record_misses:
        from kefu.kb.services import search_miss_record  # the one write of a read

        search_miss_record(query=query, language=_language(language), audience=audience)
    return hits


def suggest_articles(
    message: str, *, language: str, audience: str = "internal", limit: int = 5
) -> list[ArticleHit]:
    """Published articles sharing the most terms with ``message`` (a customer's message),
    best first: a term in the title counts three times one in the text. At least
    two shared terms (one when the message has only one)."""
    terms = search.terms(message)[:SUGGEST_TERMS]
    if not terms:
        return []
    live = live_articles(audience)
    if connection.vendor == "postgresql":
        candidates = live.filter(
            RawSQL(  # noqa: S611  (constant SQL; the query is a bound parameter)
                _PG_ALL,
                [" | ".join(_pg_query([t]) for t in terms)],
                output_field=BooleanField(),
            )
        )
    else:
        phrase = " OR ".join(_fts_phrase([t]) for t in terms)
        candidates = live.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM kb_article_fts WHERE kb_article_fts MATCH %s "
                "ORDER BY bm25(kb_article_fts, 3.0, 1.0) LIMIT %s",
                [phrase, CANDIDATES],
            )
        )
    wanted = set(terms)
    least = 1 if len(wanted) == 1 else 2
    scored: list[tuple[int, int, Article]] = []
    for article in candidates.only("pk", "title_terms", "body_terms")[:CANDIDATES]:
        in_title = wanted & set(article.title_terms.split())
        in_body = wanted & set(article.body_terms.split())
        if len(in_title | in_body) >= least:
            scored.append((3 * len(in_title) + len(in_body), -article.pk, article))
    scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
    best = [article.pk for _score, _pk, article in scored[:limit]]
    rows = Article.objects.select_related("published_version", "category__section").in_bulk(best)
    return [_hit(rows[pk], language, "", title_match=False) for pk in best]


def public_article(slug: str, *, language: str) -> PublicArticle:
    """See the module docstring (stable API)."""
    article = (
        live_articles("public")
        .select_related("published_version", "category__section")
        .filter(slug=slug)
        .first()
    )
    if article is None or article.published_version is None:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such article."))
    version = article.published_version
    shown = shown_language(version, language)
    title, body = _content(version, shown)
    other = _other(shown)
    return PublicArticle(
        article_id=article.pk,
        slug=article.slug,
        title=title,
        html=text.render(body),
        language=shown,
        requested_language=_language(language),
        is_translation_missing=shown != _language(language),
        other_language=other if _has(version, other) else "",
        section=article.category.section.name_in(shown),
        section_slug=article.category.section.slug,
        category=article.category.name_in(shown),
        published_at=article.published_at,
        helpful_yes=article.helpful_yes,
        helpful_no=article.helpful_no,
    )


@dataclass(frozen=True)
class HelpCategory:
    name: str
    articles: list[tuple[str, str]]  # (slug, title)


@dataclass(frozen=True)
class HelpSection:
    slug: str
    name: str
    categories: list[HelpCategory]


def help_sections(*, language: str, section_slug: str = "") -> list[HelpSection]:
    """Sections with their categories and published public articles, for the help
    pages (one section when ``section_slug`` is given); empty ones are left out."""
    lang = _language(language)
    articles = (
        live_articles("public")
        .select_related("published_version", "category__section")
        .order_by("category__section__position", "category__position", "pk")
    )
    if section_slug:
        articles = articles.filter(category__section__slug=section_slug)
    sections: dict[int, HelpSection] = {}
    categories: dict[int, HelpCategory] = {}
    for article in articles:
        version = article.published_version
        assert version is not None  # noqa: S101
        section = article.category.section
        if section.pk not in sections:
            sections[section.pk] = HelpSection(section.slug, section.name_in(lang), [])
        if article.category_id not in categories:
            categories[article.category_id] = HelpCategory(article.category.name_in(lang), [])
            sections[section.pk].categories.append(categories[article.category_id])
        title, _body = _content(version, shown_language(version, lang))
        categories[article.category_id].articles.append((article.slug, title))
    return list(sections.values())


def section_get(slug: str) -> Section:
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such section."))
    return section


# Staff reads -------------------------------------------------------------------------


def access_article(actor: User, article_id: int) -> Article:
    """The article (working copy), for staff who work cases; else 404."""
    authorize(actor, Perm.WORK_CASES)
    article = (
        Article.objects.select_related("category__section", "published_version", "created_by")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such article."))
    return article


def article_list_for(
    actor: User, *, status: str = "", query: str = "", section_id: int | None = None
) -> QuerySet[Article]:
    """Every article's working copy for the staff list, newest change first."""
    authorize(actor, Perm.WORK_CASES)
    articles = Article.objects.select_related("category__section", "published_version")
    if status:
        articles = articles.filter(status=status)
    if section_id:
        articles = articles.filter(category__section_id=section_id)
    query = query.strip()
    if query:
        articles = articles.filter(
            Q(title_zh__icontains=query) | Q(title_en__icontains=query) | Q(slug__icontains=query)
        )
    return articles.order_by("-updated_at", "-pk")


def review_queue(actor: User) -> QuerySet[Article]:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    return (
        Article.objects.filter(status=Article.Status.IN_REVIEW)
        .select_related("category__section")
        .order_by("updated_at", "pk")
    )


@dataclass(frozen=True)
class VersionLine:
    version: ArticleVersion
    changed: list[str]


_FIELD_LABELS = {
    "title_zh": _("Chinese title"),
    "title_en": _("English title"),
    "body_zh": _("Chinese text"),
    "body_en": _("English text"),
    "audience": _("audience"),
    "category_id_snapshot": _("category"),
}


def _differs(before: ArticleVersion, after: ArticleVersion, field: str) -> bool:
    return bool(getattr(before, field) != getattr(after, field))


def article_versions(actor: User, article: Article) -> list[VersionLine]:
    """The article's versions, newest first, each with the fields it changed."""
    authorize(actor, Perm.WORK_CASES)
    versions = list(article.versions.select_related("changed_by").order_by("number"))
    lines: list[VersionLine] = []
    previous: ArticleVersion | None = None
    for version in versions:
        changed = [
            str(label)
            for field, label in _FIELD_LABELS.items()
            if (getattr(version, field) if previous is None else _differs(previous, version, field))
        ]
        lines.append(VersionLine(version, changed))
        previous = version
    return list(reversed(lines))


def zero_result_searches(actor: User) -> QuerySet[ZeroResultSearch]:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    return ZeroResultSearch.objects.order_by("-count", "-last_at")


def feedback_list(actor: User) -> QuerySet[Article]:
    """Published articles with their answers, least helpful first."""
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    return (
        Article.objects.filter(published_version__isnull=False)
        .filter(Q(helpful_yes__gt=0) | Q(helpful_no__gt=0))
        .order_by("-helpful_no", "helpful_yes", "pk")
    )


def synonym_list(actor: User) -> QuerySet[Synonym]:
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    return Synonym.objects.order_by("pk")


def image_for(actor: User | None, image_id: int) -> ArticleImage:
    """The image, to anyone when its article is published and public; to staff who
    work cases otherwise; else 404 (no existence leak)."""
    image = ArticleImage.objects.select_related("article").filter(pk=image_id).first()
    if image is None:
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such image."))
    article = image.article
    if article.published_version_id is not None and article.live_audience == Audience.PUBLIC:
        return image
    if actor is None or not actor.has_role_perm(Perm.WORK_CASES):
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("No such image."))
    return image
