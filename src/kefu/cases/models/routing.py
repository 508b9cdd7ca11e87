"""SLA policies and breaches, the escalation ladder's limits, escalations and transfers."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.cases.models.case import Case
from kefu.core.roles import Role
from kefu.customers.models import Organisation


class SlaPolicy(models.Model):
    """Targets in working minutes. Blank priority, category or tier matches any;
    the most specific active policy wins (cases/sla.py)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    priority = models.CharField(_("priority"), max_length=16, choices=Case.Priority, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Case.Category, blank=True)
    tier = models.CharField(
        _("customer tier"), max_length=20, choices=Organisation.Tier, blank=True
    )
    first_response_minutes = models.PositiveIntegerField(_("first response (working minutes)"))
    next_update_minutes = models.PositiveIntegerField(
        _("update cadence (working minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(_("resolution (working minutes)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SlaBreach(models.Model):
    class Target(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_UPDATE = "next_update", _("Next update")
        RESOLUTION = "resolution", _("Resolution")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("case")
    )
    target = models.CharField(_("target"), max_length=20, choices=Target)
    due_at = models.DateTimeField(_("was due at"))
    breached_at = models.DateTimeField(_("breached at"))

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        ordering = ["breached_at"]
        constraints = [
            # One breach per target and due time: the clock may run twice.
            models.UniqueConstraint(fields=["case", "target", "due_at"], name="sla_breach_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.target} {self.due_at}"


class AuthorityLimit(models.Model):
    """What each step of the escalation ladder may grant on its own."""

    role = models.CharField(_("role"), max_length=32, choices=Role, unique=True)
    max_compensation = models.DecimalField(
        _("largest compensation (CNY)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["max_compensation"]

    def __str__(self) -> str:
        return f"{self.role}: {self.max_compensation}"


class Escalation(models.Model):
    class Reason(models.TextChoices):
        BEYOND_AUTHORITY = "beyond_authority", _("Beyond my authority")
        SLA_BREACH = "sla_breach", _("SLA breached")
        OVER_HEADS = "over_heads", _("Customer went over heads")
        CUSTOMER_REQUEST = "customer_request", _("Customer asked for a supervisor")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("case")
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    from_level = models.PositiveSmallIntegerField(_("from level"))
    to_level = models.PositiveSmallIntegerField(_("to level"))
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new owner"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason)
    explanation = models.TextField(_("explanation"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_level}->{self.to_level}"


class Transfer(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case")
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("transferred by"),
    )
    from_department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    # What the customer is told: why there, what happens next, by when.
    why = models.TextField(_("why that department"))
    next_steps = models.TextField(_("what happens next"))
    expected_by = models.DateTimeField(_("by when"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_department_id}->{self.to_department_id}"
