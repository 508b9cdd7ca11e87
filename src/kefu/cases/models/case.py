"""Cases, their messages, attachments, links and timeline events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.uploads import safe_filename
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
        # Raised by staff of another department (an internal customer).
        INTERNAL_REQUEST = "internal_request", _("Internal request")
        INTERNAL_SUPPORT = "internal_support", _("Support for another department")

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
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="watched_cases",
        verbose_name=_("watchers"),
    )
    # Confidential cases are visible only inside their department.
    is_confidential = models.BooleanField(_("confidential"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    # 0 agent, 1 team lead, 2 department manager (see cases/ladder.py).
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    is_over_heads = models.BooleanField(
        _("escalated over heads"),
        default=False,
        help_text=_("The customer went over the heads of the people handling the case."),
    )
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    is_transfer_loop = models.BooleanField(_("transfer loop"), default=False)
    has_overdue_commitment = models.BooleanField(_("overdue commitment"), default=False)
    # The coach's reading of the customer's latest message: the queue sorts on them.
    customer_upset = models.BooleanField(_("customer upset"), default=False)
    escalation_risk = models.FloatField(_("escalation risk"), default=0.0)
    sla_policy = models.ForeignKey(
        "cases.SlaPolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SLA policy"),
    )
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_update_due_at = models.DateTimeField(_("next update due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # While waiting on the customer the SLA clock stops; due times move on resume.
    sla_paused_at = models.DateTimeField(_("SLA paused at"), null=True, blank=True)
    breach_count = models.PositiveSmallIntegerField(_("SLA breaches"), default=0)
    # The earliest running due time: the queue sorts on it.
    sla_due_at = models.DateTimeField(_("SLA due"), null=True, blank=True)
    # Bigrams of the subject and messages for Chinese substring search (cases/search.py).
    search_terms = models.TextField(_("search terms"), blank=True, editable=False)
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
            # Queues walk these in order (earliest SLA due first, then id) and stop
            # after one page, whatever the table size (selectors.case_list_for).
            models.Index(fields=["owner", "sla_due_at", "id"], name="case_owner_sla"),
            models.Index(fields=["team", "sla_due_at", "id"], name="case_team_sla"),
            models.Index(fields=["department", "sla_due_at", "id"], name="case_department_sla"),
            models.Index(fields=["status", "sla_due_at", "id"], name="case_status_sla"),
            models.Index(
                fields=["status", "priority", "sla_due_at", "id"], name="case_status_priority"
            ),
            models.Index(
                fields=["sla_due_at", "id"],
                name="case_open_sla",
                condition=models.Q(
                    status__in=["new", "open", "waiting_customer", "waiting_department"]
                ),
            ),
            # The automations pass walks a status's cases from the oldest change or
            # resolution up to its cutoff, in order (automation.clocks.candidates).
            models.Index(fields=["status", "updated_at", "id"], name="case_status_updated"),
            models.Index(
                fields=["status", "resolved_at", "id"],
                name="case_status_resolved",
                condition=models.Q(resolved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)


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
    # Sanitized HTML of an email body, when the sender sent HTML.
    body_html = models.TextField(_("HTML body"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    # The channel's own id: an email Message-ID, a chat message id, a call id.
    external_id = models.CharField(_("external id"), max_length=300, null=True, blank=True)
    # Email threading: the Message-IDs this message answers.
    in_reply_to = models.CharField(_("in reply to"), max_length=300, blank=True)
    delivery_status = models.CharField(_("delivery status"), max_length=20, blank=True)
    # Claims by the delivery task; at KEFU_DELIVERY_MAX_ATTEMPTS the message fails.
    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    # Why the latest attempt failed, as the channel put it (shown to the agent).
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)
    # What the agent reads about the failure (delivery.FailureCode), rendered at read time.
    delivery_error_code = models.CharField(_("delivery failure"), max_length=40, blank=True)
    # What an outbound message is for ("incident_update", "survey_invitation"; "" a
    # reply): template channels (template SMS, WeChat template messages) pick by it.
    purpose = models.CharField(_("purpose"), max_length=40, blank=True, default="")
    # A resend of a failed message (same or another channel) points at the failed one.
    resent_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name=_("resent from"),
    )
    # The coach's reading of a customer's message (assist.engine Reading.to_json()
    # and the lexicon version), and the figures reports count on.
    reading = models.JSONField(_("reading"), null=True, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True)
    upset = models.BooleanField(_("upset"), default=False)
    threat = models.BooleanField(_("threat"), default=False)
    escalation_risk = models.FloatField(_("escalation risk"), null=True, blank=True)

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


def attachment_path(instance: Attachment, filename: str) -> str:
    name = safe_filename(filename, fallback="attachment")
    return f"attachments/{instance.message.case_id}/{instance.message_id}/{name}"


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=400)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", _("Related")
        DUPLICATE = "duplicate", _("Duplicate")
        CAUSED_BY = "caused_by", _("Caused by")

    from_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from case")
    )
    to_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.RELATED)

    class Meta:
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} -> {self.to_case_id}"


class CaseEvent(models.Model):
    """One line of a case's history: opened, replied, escalated, transferred, ..."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    # Parameters of the event, rendered in the reader's language (cases/events.py).
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
