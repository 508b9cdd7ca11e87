"""The agent's workspace: reply templates and saved queue views."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyTemplate(models.Model):
    """A reply in both languages with placeholders such as {contact_name}, {case_reference}."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    category = models.CharField(_("category"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The queue filters as submitted: status, priority, category, channel, q, ...
    filters = models.JSONField(_("filters"), default=dict)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    """A step of the complaint playbook an agent ticked on a case (the coach also
    ticks steps it sees in the agent's replies)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="playbook", verbose_name=_("case")
    )
    step = models.CharField(_("step"), max_length=20)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"))
    # "agent" when ticked by hand, "coach" when seen in a reply.
    source = models.CharField(_("source"), max_length=10, default="agent")

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="playbook_step_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"
