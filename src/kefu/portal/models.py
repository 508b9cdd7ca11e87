"""The customer portal's sign-in codes and sessions, its settings, and the status page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.incidents.models import Incident


class PortalSettings(models.Model):
    """The business's portal and status-page choices (one row, ``pk=1``)."""

    status_page_enabled = models.BooleanField(_("public status page on"), default=False)
    status_title_zh = models.CharField(
        _("status page title (Chinese)"), max_length=200, default="服务状态"
    )
    status_title_en = models.CharField(
        _("status page title (English)"), max_length=200, default="Service status"
    )
    # Off: a customer reads "Service desk" where a staff member wrote; on: their first name.
    show_staff_first_names = models.BooleanField(_("show staff first names"), default=False)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(_("Portal settings"))

    def status_title(self, language: str) -> str:
        return self.status_title_en if language == "en" else self.status_title_zh


class OrganisationPortalAccess(models.Model):
    """Whether an organisation's contacts see each other's cases in the portal."""

    organisation = models.OneToOneField(
        "customers.Organisation",
        on_delete=models.CASCADE,
        related_name="portal_access",
        verbose_name=_("organisation"),
    )
    members_see_all_cases = models.BooleanField(
        _("contacts see all the organisation's cases"), default=False
    )

    class Meta:
        verbose_name = _("organisation portal access")
        verbose_name_plural = _("organisation portal access")

    def __str__(self) -> str:
        return str(self.organisation)


class SignInCode(models.Model):
    """A one-time sign-in code sent to an address; only its hash is kept."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    # The normalised address the code was asked for (lower-case e-mail or E.164 number).
    address = models.CharField(_("address"), max_length=254)
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    code_hash = models.CharField(_("code hash"), max_length=128, editable=False)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [
            # Rate limits count an address's recent codes.
            models.Index(fields=["address", "created_at"], name="portal_code_address_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.created_at:%Y-%m-%d %H:%M}"


class PortalSession(models.Model):
    """A customer's signed-in portal session (not a staff login); the key is hashed."""

    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("signed out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal session")
        verbose_name_plural = _("portal sessions")

    def __str__(self) -> str:
        return f"{self.contact_id} {self.created_at:%Y-%m-%d %H:%M}"


class StatusComponent(models.Model):
    """A component or project the business shows on the status page.

    An incident appears under it when it touches ``project`` or is listed in
    ``incidents``; internal incidents never appear.
    """

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    project = models.ForeignKey(
        "customers.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", blank=True, related_name="+", verbose_name=_("incidents")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_shown = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("status page component")
        verbose_name_plural = _("status page components")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name_zh

    def name_in(self, language: str) -> str:
        return (self.name_en or self.name_zh) if language == "en" else self.name_zh


class StatusSubscriber(models.Model):
    """An e-mail address that asked for status-page updates (confirmed by a link)."""

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status page subscriber")
        verbose_name_plural = _("status page subscribers")

    def __str__(self) -> str:
        return self.email


class StatusMailing(models.Model):
    """One public update mailed to one subscriber (so it is mailed once)."""

    subscriber = models.ForeignKey(
        StatusSubscriber, on_delete=models.CASCADE, related_name="+", verbose_name=_("subscriber")
    )
    notice = models.ForeignKey(
        "incidents.Notice", on_delete=models.CASCADE, related_name="+", verbose_name=_("update")
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("status page mailing")
        verbose_name_plural = _("status page mailings")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "notice"], name="portal_mailing_once_per_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.notice_id}"


class PublicIncident(Incident):
    """Incidents as the status page's admin lists them (to mark one internal)."""

    class Meta:
        proxy = True
        verbose_name = _("incident on the status page")
        verbose_name_plural = _("incidents on the status page")
