"""Promises made to customers: commitments with due times, and compensation offers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.cases.models.case import Case


class Commitment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("case")
    )
    what = models.CharField(_("what was promised"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("owner"),
    )
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # A follow-up task for the customer's single point of contact (after a transfer).
    is_follow_up = models.BooleanField(_("follow-up task"), default=False)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["owner", "due_at"],
                name="commitment_open_owner",
                condition=models.Q(status="open"),
            )
        ]

    def __str__(self) -> str:
        return self.what


class CompensationOffer(models.Model):
    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        DISCOUNT = "discount", _("Discount")
        VOUCHER = "voucher", _("Voucher")
        FREE_SERVICE = "free_service", _("Free service or repair")
        GIFT = "gift", _("Gift")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="compensations", verbose_name=_("case")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("offered by"),
    )
    offered_at = models.DateTimeField(_("offered at"))
    status = models.CharField(_("status"), max_length=16, choices=Status)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compensation offer")
        verbose_name_plural = _("compensation offers")
        ordering = ["offered_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
