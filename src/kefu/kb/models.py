"""Knowledge-base articles in sections and categories, their versions, images,
search synonyms, searches that found nothing and "did this help?" counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("zh-hans", "en")


class Section(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name_zh

    def name_in(self, language: str) -> str:
        """The name in ``language``, else the other one (a name is never left blank)."""
        if language.startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh or self.name_en


class Category(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="categories", verbose_name=_("section")
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="kb_category_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name_zh

    def name_in(self, language: str) -> str:
        if language.startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh or self.name_en


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (customers)")
    INTERNAL = "internal", _("Internal (staff only)")


class Article(models.Model):
    """The working copy of an article; what readers see is ``published_version``.

    Editing a published article leaves the published version live until the
    changes are reviewed and published. ``live_audience``, ``title_terms`` and
    ``body_terms`` describe the published version (the search reads only them).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience, default=Audience.PUBLIC
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    source_message_id = models.BigIntegerField(
        _("proposed from reply"), null=True, blank=True, editable=False
    )
    published_version = models.ForeignKey(
        "ArticleVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    live_audience = models.CharField(
        _("published audience"), max_length=10, choices=Audience, blank=True, editable=False
    )
    title_terms = models.TextField(_("title search terms"), blank=True, editable=False)
    body_terms = models.TextField(_("text search terms"), blank=True, editable=False)
    helpful_yes = models.PositiveIntegerField(_("helped"), default=0)
    helpful_no = models.PositiveIntegerField(_("did not help"), default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(
                fields=["live_audience", "category"],
                name="kb_article_live",
                condition=models.Q(published_version__isnull=False),
            ),
            models.Index(fields=["status", "-updated_at"], name="kb_article_status"),
            # Covering index of the search's filter and order: ranking thousands of
            # matches reads it, never the wide rows (SQLite, selectors._ranked_sqlite).
            models.Index(
                fields=["live_audience", "helpful_yes", "published_at"],
                name="kb_article_rank",
                condition=models.Q(published_version__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title_zh or self.title_en or self.slug

    def has_language(self, language: str) -> bool:
        """Whether the working copy has a title and text in ``language``."""
        if language.startswith("en"):
            return bool(self.title_en.strip() and self.body_en.strip())
        return bool(self.title_zh.strip() and self.body_zh.strip())

    def missing_languages(self) -> list[str]:
        return [code for code in LANGUAGES if not self.has_language(code)]

    def title_in(self, language: str) -> str:
        if language.startswith("en"):
            return self.title_en or self.title_zh
        return self.title_zh or self.title_en


class ArticleVersion(models.Model):
    """One saved state of an article: a row per save and per workflow step."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        PROPOSED = "proposed", _("Proposed from a reply")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=12, choices=Action)
    category_id_snapshot = models.BigIntegerField(_("category"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


def image_path(instance: ArticleImage, filename: str) -> str:
    return f"kb/{instance.article_id}/{filename}"


class ArticleImage(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("article")
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(_("file"), upload_to=image_path, max_length=400)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")

    def __str__(self) -> str:
        return self.filename


class Synonym(models.Model):
    """Words a search treats as the same (退货 = 退换货 = 退款): any one finds the others."""

    words = models.CharField(_("words"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [word for word in self.words.split() if word]


class ZeroResultSearch(models.Model):
    """A search that found nothing, counted per query, language and audience."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience)
    count = models.PositiveIntegerField(_("times"), default=0)
    first_at = models.DateTimeField(_("first searched"))
    last_at = models.DateTimeField(_("last searched"))

    class Meta:
        ordering = ["-last_at"]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language", "audience"], name="kb_zero_result_unique"
            )
        ]

    def __str__(self) -> str:
        return self.query
