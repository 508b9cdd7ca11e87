"""What an agent is typing on a case (kept server side) and who has the case open."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyDraft(models.Model):
    """One agent's unsent reply on one case, saved as they type; gone once sent."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="drafts", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reply_drafts",
        verbose_name=_("user"),
    )
    body = models.TextField(_("text"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="reply_draft_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"


class CasePresence(models.Model):
    """The last time a user's case page asked who else is there; rows older than the
    presence window read as gone (cases.selectors_presence)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="presence", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("case presence")
        verbose_name_plural = _("case presence")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_presence_one_per_user")
        ]
        indexes = [models.Index(fields=["case", "seen_at"], name="case_presence_recent")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"
