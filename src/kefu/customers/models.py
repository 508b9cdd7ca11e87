"""Organisations, their contacts (with channel preferences) and their projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    # A customer who came to the service counter: a case is opened on it, but nobody
    # is reached by it, so it is never a contact's preferred channel.
    WALK_IN = "walk_in", _("Walk-in")


# Channels a message can reach a contact on (a contact's preferred channels).
REACHABLE_CHANNELS = tuple(c for c in Channel.values if c != Channel.WALK_IN)


class Organisation(models.Model):
    class Tier(models.TextChoices):
        STANDARD = "standard", _("Standard")
        KEY = "key", _("Key account")
        STRATEGIC = "strategic", _("Strategic")

    name = models.CharField(_("name"), max_length=200, unique=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier, default=Tier.STANDARD)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Where the customer is (a province or city); incidents pick customers by it.
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    # Free labels such as "vip" or "phase-2"; incidents pick customers by them.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # The organisation list filters by tier and sorts by name.
            models.Index(fields=["tier", "name"], name="organisation_tier_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    im_handle = models.CharField(_("IM handle"), max_length=100, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    # Channels in the contact's order of preference, e.g. ["phone", "email"].
    preferred_channels = models.JSONField(_("preferred channels"), default=list, blank=True)
    quiet_hours_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # A contact who left the organisation is kept (cases point at them) but hidden.
    is_active = models.BooleanField(_("active"), default=True)
    # An internal customer (内部客户): a member of staff of another department who raises
    # cases as the requester. Their contact stands for them on the desk.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requester_contact",
        verbose_name=_("staff member (internal customer)"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        constraints = [
            # Quiet hours are a window: both ends or neither.
            models.CheckConstraint(
                condition=models.Q(quiet_hours_start__isnull=True, quiet_hours_end__isnull=True)
                | models.Q(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False),
                name="contact_quiet_hours_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        STOPPED = "stopped", _("Stopped")
        COMPLETED = "completed", _("Completed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    site = models.CharField(_("site"), max_length=300, blank=True)
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_projects",
        verbose_name=_("project manager"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name
