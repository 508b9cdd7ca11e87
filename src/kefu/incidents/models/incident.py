"""The incident itself: what stopped, why, until when, and whom it affects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.uploads import safe_filename
from kefu.customers.models import Contact, Organisation, Project


class Incident(models.Model):
    class Kind(models.TextChoices):
        CLIENT_FUNDING = "client_funding", _("Client funding or payment approval")
        CLIENT_DESIGN = "client_design", _("Client design change")
        CLIENT_APPROVAL = "client_approval", _("Client internal approval")
        POLICY = "policy", _("Policy change")
        DISASTER = "disaster", _("Natural disaster")
        SUPPLIER = "supplier", _("Supplier")
        SYSTEM_OUTAGE = "system_outage", _("System outage")
        PRODUCT_QUALITY = "product_quality", _("Product quality")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        RESUMING = "resuming", _("Preparing resumption")
        RESUMED = "resumed", _("Resumed")
        REVIEWED = "reviewed", _("Reviewed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    cause = models.TextField(_("cause"))
    next_steps = models.TextField(_("next steps"), blank=True)
    # Who the customer should reach, as it appears in the notices.
    contact_point = models.CharField(_("who to reach"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"))
    expected_from = models.DateField(_("expected resumption (from)"))
    # Set when the expected resumption is a range.
    expected_to = models.DateField(_("expected resumption (to)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_incidents",
        verbose_name=_("owner"),
    )
    # Hours between updates, e.g. [3, 6, 12, 24]; the last one repeats.
    update_interval_hours = models.JSONField(_("update interval (hours)"), default=list)
    # When false, a due update waits for a person and a missed one alerts the team lead.
    auto_send_updates = models.BooleanField(_("send due updates automatically"), default=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="incidents", verbose_name=_("affected projects")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="incidents", verbose_name=_("affected customers")
    )
    contacts: models.ManyToManyField[Contact, IncidentContact] = models.ManyToManyField(
        Contact,
        through="IncidentContact",
        blank=True,
        related_name="incidents",
        verbose_name=_("affected contacts"),
    )
    # Filled by the rhythm: the due time of the next update, while the incident is open.
    next_update_due_at = models.DateTimeField(_("next update due"), null=True, blank=True)
    updates_sent = models.PositiveIntegerField(_("updates sent"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    resuming_at = models.DateTimeField(_("resumption started at"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    resumed_on = models.DateField(_("work resumes on"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # An internal incident (staff only) never appears on the public status page.
    is_internal = models.BooleanField(_("internal only"), default=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="incident_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_to__isnull=True)
                | models.Q(expected_to__gte=models.F("expected_from")),
                name="incident_expected_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.CONFIRMED, self.Status.RESUMING}


class IncidentContact(models.Model):
    """One affected contact, with how they were picked."""

    class Via(models.TextChoices):
        CONTACT = "contact", _("Contact")
        CUSTOMER = "customer", _("Customer")
        PROJECT = "project", _("Project")
        TAG = "tag", _("Tag")
        REGION = "region", _("Region")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="affected", verbose_name=_("incident")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    via = models.CharField(_("picked by"), max_length=20, choices=Via)
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("affected contact")
        verbose_name_plural = _("affected contacts")
        constraints = [
            models.UniqueConstraint(fields=["incident", "contact"], name="incident_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.contact_id}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"incidents/{instance.incident_id}/{safe_filename(filename, fallback='evidence')}"


class Evidence(models.Model):
    """A document behind the cause (the approver's reply, a notice from the authority)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("incident")
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Shared evidence is linked from the notices; the rest stays internal.
    shared = models.BooleanField(_("shared with customers"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.description or self.file.name


class IncidentCase(models.Model):
    """A case from an affected customer, linked while the incident is open."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="case_links", verbose_name=_("incident")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        constraints = [
            models.UniqueConstraint(fields=["incident", "case"], name="incident_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.case_id}"
