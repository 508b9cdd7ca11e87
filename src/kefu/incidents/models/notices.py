"""Notices to affected contacts and their delivery, one row per contact and channel."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import Contact
from kefu.incidents.models.incident import Incident


class Notice(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("First notice")
        UPDATE = "update", _("Update")
        RESUMPTION = "resumption", _("Resumption notice")
        SURVEY = "survey", _("Feedback survey")
        PLAN = "plan", _("Plan for your approval")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        DISCARDED = "discarded", _("Discarded")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notices", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=300)
    subject_en = models.CharField(_("subject (English)"), max_length=300)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    # For an update: the due time it answers (the rhythm measures against it).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # None when the clock wrote or sent it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # For a plan sent for approval: the plan (each contact gets a signed link to it).
    plan = models.ForeignKey(
        "incidents.ContinuationPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("plan"),
    )
    is_automatic = models.BooleanField(_("sent by the clock"), default=False)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["created_at", "id"]
        constraints = [
            # One first notice per incident, whatever happens to confirmation.
            models.UniqueConstraint(
                fields=["incident"],
                condition=models.Q(kind="first"),
                name="notice_one_first_per_incident",
            ),
            # At most one pending update draft per incident.
            models.UniqueConstraint(
                fields=["incident"],
                condition=models.Q(kind="update", status="draft"),
                name="notice_one_update_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.get_kind_display()}"

    def subject_in(self, language: str) -> str:
        return self.subject_en if language == "en" else self.subject_zh

    def body_in(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_zh


class Delivery(models.Model):
    """One notice to one contact on one channel, recorded before anything leaves."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notice")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # A worker's claim: its token and how long it holds the row while sending.
    claim = models.CharField(_("claim"), max_length=40, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    external_id = models.CharField(_("external id"), max_length=300, blank=True)
    fallback_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback of"),
    )
    created_at = models.DateTimeField(_("created at"))
    handed_at = models.DateTimeField(_("handed to the channel at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "contact", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            # The sender and the retry clock walk only rows that still wait.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="delivery_queued_due",
                condition=models.Q(status="queued"),
            ),
            models.Index(
                fields=["lease_until"],
                name="delivery_sending_lease",
                condition=models.Q(status="sending"),
            ),
            models.Index(fields=["claim"], name="delivery_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.contact_id}/{self.channel}"

    @property
    def key(self) -> str:
        """The channel key: the same for every attempt, so a resend is recognisable."""
        return f"inc{self.notice.incident_id}-n{self.notice_id}-c{self.contact_id}-{self.channel}"


class CallTask(models.Model):
    """A phone notice: an agent calls the contact with a script and records the outcome."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, related_name="call_task", verbose_name=_("delivery")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="call_tasks", verbose_name=_("incident")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    script = models.TextField(_("call script"))
    created_at = models.DateTimeField(_("created at"))
    # The agent who took the call: the only one who sees the full number.
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    held_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contact} ({self.incident_id})"


class ManualOutreach(models.Model):
    """A contact no channel reached: shown on the incident until someone records the contact."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="outreach", verbose_name=_("incident")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice"),
    )
    # A code from REASONS (read in the reader's language); older rows hold text.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("flagged at"))
    resolved_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contacted by"),
    )
    note = models.TextField(_("note"), blank=True)

    REASONS: ClassVar[dict[str, Promise]] = {
        "no_reachable_channel": _("no reachable channel"),
        "every_channel_failed": _("every channel failed"),
    }

    class Meta:
        verbose_name = _("manual outreach")
        verbose_name_plural = _("manual outreach")
        ordering = ["created_at", "id"]
        constraints = [
            # One open flag per contact and incident.
            models.UniqueConstraint(
                fields=["incident", "contact"],
                condition=models.Q(resolved_at__isnull=True),
                name="outreach_one_open_per_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.incident_id})"

    @property
    def reason_text(self) -> str:
        """Why the contact needs a call, in the active language."""
        label = self.REASONS.get(self.reason)
        return str(label) if label is not None else self.reason
