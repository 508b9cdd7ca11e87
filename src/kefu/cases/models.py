"""Cases and their messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import Channel, Contact, Organisation, Project


class Case(models.Model):
    class Category(models.TextChoices):
        BELOW_EXPECTATION = "below_expectation", _("Below expectation")
        MISCOMMUNICATION = "miscommunication", _("Miscommunication")
        EMOTIONAL_STATE = "emotional_state", _("Emotional state")
        POLICY = "policy", _("Policy against expectation")
        CROSS_DEPARTMENT = "cross_department", _("Cross-department")
        CONTRACT_DISPUTE = "contract_dispute", _("Contract dispute")
        EMERGENCY = "emergency", _("Emergency")
        REQUIREMENT_CHANGE = "requirement_change", _("Requirement change")
        STOPPAGE = "stoppage", _("Work stoppage")
        ENQUIRY = "enquiry", _("Enquiry")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
        WAITING_DEPARTMENT = "waiting_department", _("Waiting on another department")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="cases", verbose_name=_("contact")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("project"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    category = models.CharField(
        _("category"), max_length=32, choices=Category, default=Category.ENQUIRY
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=32, choices=Status, default=Status.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("department"),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Bumped by every write; writes compare-and-swap on it so two agents
    # changing the same case at once never lose an update.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["department", "status"], name="case_department_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("From the customer")
        OUTBOUND = "out", _("To the customer")
        NOTE = "note", _("Internal note")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="messages", verbose_name=_("case")
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("contact"),
    )
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"))
    external_id = models.CharField(_("external id"), max_length=300, null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="message_case_time")]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="message_unique_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.direction} {self.created_at:%Y-%m-%d %H:%M}"
