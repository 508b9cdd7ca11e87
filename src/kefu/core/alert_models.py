"""Staff alerts outside the product: who wants them where, the team robots, each send.

Imported by :mod:`kefu.core.models` so Django finds them in the core app.
Robot webhooks and secrets are encrypted at rest with the field keys
(:mod:`kefu.core.field_keys`), as a candidate's national ID is.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.field_keys import configured_keys


def field_encrypt(value: str) -> str:
    """Ciphertext of ``value`` under the current field key; empty stays empty."""
    if not value:
        return ""
    keys = MultiFernet([Fernet(key) for key in configured_keys()])
    return keys.encrypt(value.encode()).decode()


def field_decrypt(token: str) -> str:
    """The plain text of ``token``; empty when no configured key opens it."""
    if not token:
        return ""
    keys = MultiFernet([Fernet(key) for key in configured_keys()])
    try:
        return keys.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


class AlertChannel(models.TextChoices):
    WECOM_APP = "wecom_app", _("WeCom application message")
    WECOM_ROBOT = "wecom_robot", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk robot")
    FEISHU = "feishu", _("Feishu bot")


class StaffAlertSetting(models.Model):
    """One person's choice: their alerts also as a WeCom application message."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_setting",
        verbose_name=_("user"),
    )
    wecom_user_id = models.CharField(
        _("WeCom user ID"),
        max_length=64,
        blank=True,
        help_text=_("The account in the WeCom admin console (成员账号), e.g. ZhaoLei."),
    )
    wecom_app = models.BooleanField(
        _("alerts in WeCom"),
        default=False,
        help_text=_("Also send my alerts (escalations, raised hands, meals, updates) to WeCom."),
    )

    class Meta:
        verbose_name = _("staff alert setting")
        verbose_name_plural = _("staff alert settings")

    def __str__(self) -> str:
        return str(self.user)


class TeamAlertRobot(models.Model):
    """A team's group robot in WeCom, DingTalk or Feishu that receives its alerts."""

    team = models.ForeignKey(
        "core.Team", on_delete=models.CASCADE, related_name="alert_robots", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=[c for c in AlertChannel.choices if c[0] != AlertChannel.WECOM_APP],
    )
    # The webhook's key or token (or the whole URL as pasted), encrypted.
    webhook_ciphertext = models.TextField(_("webhook (encrypted)"), editable=False)
    # DingTalk's "加签" secret or Feishu's signature secret, encrypted; empty for none.
    secret_ciphertext = models.TextField(_("secret (encrypted)"), blank=True, editable=False)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team alert robot")
        verbose_name_plural = _("team alert robots")
        ordering = ["team", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"

    @property
    def webhook(self) -> str:
        return field_decrypt(self.webhook_ciphertext)

    @property
    def secret(self) -> str:
        return field_decrypt(self.secret_ciphertext)


class WecomAccessToken(models.Model):
    """A WeCom access token shared by every process until shortly before it expires."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    token = models.TextField(_("token"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("WeCom access token")
        verbose_name_plural = _("WeCom access tokens")

    def __str__(self) -> str:
        return self.key


class StaffAlertDelivery(models.Model):
    """One alert to send to one place: a due row, retried with backoff until sent or
    failed for good; an admin reads the failures in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        "core.Notification",
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=AlertChannel)
    robot = models.ForeignKey(
        TeamAlertRobot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("robot"),
    )
    # One event reaches a robot once, however many leads it notified.
    event_key = models.CharField(_("event key"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due at"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("staff alert delivery")
        verbose_name_plural = _("staff alert deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The retry loop scans only pending rows by due time.
            models.Index(
                fields=["due_at"],
                name="staff_alert_pending_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.notification_id} {self.get_status_display()}"
