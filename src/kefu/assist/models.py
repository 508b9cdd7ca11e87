"""Admin-added entries of the coach's word lists (on top of the shipped data files)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LexiconEntry(models.Model):
    """One term or pattern an administrator added to a list of the coach.

    ``list_name`` names a list of the data files (``negative``, ``threat_target``,
    ``negative_phrasing`` ...); the engine validates the rest (a pattern must compile).
    """

    class Language(models.TextChoices):
        ANY = "any", _("Any language")
        ZH = "zh", _("Chinese")
        EN = "en", _("English")

    list_name = models.CharField(_("list"), max_length=64)
    term = models.CharField(_("term"), max_length=200, blank=True)
    pattern = models.CharField(_("regular expression"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language, default=Language.ANY)
    weight = models.FloatField(_("weight"), default=1.0)
    emotion = models.CharField(_("emotion"), max_length=32, blank=True)
    kind = models.CharField(_("threat kind"), max_length=32, blank=True)
    suggestion = models.CharField(_("suggested rewrite"), max_length=500, blank=True)
    explanation_zh = models.CharField(_("explanation (Chinese)"), max_length=500, blank=True)
    explanation_en = models.CharField(_("explanation (English)"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("coach lexicon entry")
        verbose_name_plural = _("coach lexicon entries")
        ordering = ["list_name", "term", "pattern"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(term="") | ~models.Q(pattern=""),
                name="assist_entry_term_or_pattern",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_name}: {self.term or self.pattern}"

    def as_entry(self) -> dict[str, object]:
        """The entry as the engine's data-file schema (plus "list")."""
        optional = {
            "term": self.term,
            "pattern": self.pattern,
            "emotion": self.emotion,
            "kind": self.kind,
            "suggestion": self.suggestion,
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
        }
        entry: dict[str, object] = {"list": self.list_name, "weight": self.weight}
        entry.update({key: value for key, value in optional.items() if value})
        if self.language != self.Language.ANY:
            entry["lang"] = self.language
        return entry
