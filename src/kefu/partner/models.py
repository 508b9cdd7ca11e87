"""What the writing partner keeps: every call as it left and came back (with the
placeholders, never the personal data), case summaries per case version, the
departments whose cases never leave kefu, and the month's budget notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerCall(models.Model):
    class Purpose(models.TextChoices):
        SUMMARY = "summary", _("Case summary")
        DRAFT = "draft", _("Reply draft")
        REWRITE = "rewrite", _("Rewrite")

    class Outcome(models.TextChoices):
        OK = "ok", _("Answered")
        REFUSED = "refused", _("Answer refused")
        FAILED = "failed", _("Provider failed")

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose)
    model_name = models.CharField(_("model"), max_length=100)
    # The chat messages exactly as sent: placeholders in place of personal data.
    sent = models.JSONField(_("sent"), default=list)
    # The answer exactly as received, before the placeholders were put back.
    received = models.TextField(_("received"), blank=True)
    # How many values of each kind were replaced ({"PHONE": 2, "ID": 1}).
    redacted = models.JSONField(_("redacted"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    fault = models.CharField(_("fault"), max_length=40, blank=True)
    prompt_tokens = models.PositiveIntegerField(_("prompt tokens"), default=0)
    completion_tokens = models.PositiveIntegerField(_("answer tokens"), default=0)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)

    class Meta:
        verbose_name = _("writing partner call")
        verbose_name_plural = _("writing partner calls")
        indexes = [models.Index(fields=["at"], name="partner_call_at")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.at:%Y-%m-%d %H:%M}"


class CaseSummary(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    # The case's version when written: a newer version means a new summary.
    case_version = models.PositiveIntegerField(_("case version"))
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("case summary")
        verbose_name_plural = _("case summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "case_version", "language"], name="partner_summary_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.case_version} {self.language}"


class ExcludedDepartment(models.Model):
    """A department whose cases are never sent to the language model."""

    department = models.OneToOneField(
        "core.Department",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("department kept from the writing partner")
        verbose_name_plural = _("departments kept from the writing partner")

    def __str__(self) -> str:
        return str(self.department_id)


class BudgetNotice(models.Model):
    """The month whose token budget ran out, once administrators were told."""

    month = models.CharField(_("month"), max_length=7, unique=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("token budget notice")
        verbose_name_plural = _("token budget notices")

    def __str__(self) -> str:
        return self.month
