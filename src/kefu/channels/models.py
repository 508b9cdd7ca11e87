"""What the channels keep of their own: quarantined input, call records, polling state
and which case a chat conversation belongs to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import Channel


class QuarantinedMessage(models.Model):
    """Input a channel could not turn into a message, kept whole so nothing is lost.

    An administrator lists, replays (after a fix) or discards these with
    ``kefu quarantine``; discarding only changes the status, the bytes stay.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        REPLAYED = "replayed", _("Replayed")
        DISCARDED = "discarded", _("Discarded")

    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    # Exactly what arrived, byte for byte (an RFC 822 message, a request body).
    raw = models.BinaryField(_("raw bytes"), blank=True, default=b"")
    # Input that arrived as text rather than bytes.
    text = models.TextField(_("text"), blank=True)
    # Where it came from: "stdin", "imap INBOX uid 42".
    source = models.CharField(_("source"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    error_code = models.CharField(_("error code"), max_length=40)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.HELD)
    replayed_at = models.DateTimeField(_("replayed at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resulting case"),
    )

    class Meta:
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantined messages")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The admin list shows what is still held, newest first.
            models.Index(fields=["status", "received_at"], name="quarantine_status_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.error_code}"


class CallRecord(models.Model):
    """One phone call, logged by the telephony system or an agent, on a case."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="calls", verbose_name=_("case")
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    from_number = models.CharField(_("from number"), max_length=40)
    to_number = models.CharField(_("to number"), max_length=40)
    started_at = models.DateTimeField(_("started at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    recording_url = models.URLField(_("recording URL"), max_length=500, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The telephony system's call id; a second report of the same call is ignored.
    external_id = models.CharField(
        _("external id"), max_length=200, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("call record")
        verbose_name_plural = _("call records")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["case", "started_at"], name="call_case_time")]

    def __str__(self) -> str:
        # No phone numbers: this label reaches the audit log.
        return f"{self.direction} {self.started_at:%Y-%m-%d %H:%M}"


class ImapCursor(models.Model):
    """How far polling one IMAP mailbox has got.

    UIDs are only comparable within one UIDVALIDITY; when the server changes
    it the cursor starts again from zero (Message-IDs still stop repeats).
    """

    mailbox = models.CharField(_("mailbox"), max_length=300, unique=True)
    uid_validity = models.BigIntegerField(_("UID validity"), default=0)
    last_uid = models.BigIntegerField(_("last UID"), default=0)
    polled_at = models.DateTimeField(_("polled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("IMAP cursor")
        verbose_name_plural = _("IMAP cursors")

    def __str__(self) -> str:
        return f"{self.mailbox} {self.last_uid}"


class ChatConversation(models.Model):
    """Which case a chat conversation's messages thread into."""

    conversation_id = models.CharField(_("conversation id"), max_length=200, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="chat_conversations",
        verbose_name=_("case"),
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")

    def __str__(self) -> str:
        return self.conversation_id


# The SMS template registry lives in its own module (re-exported: one app, one models).
from kefu.channels.models_sms import SmsPurpose as SmsPurpose  # noqa: E402
from kefu.channels.models_sms import SmsTemplate as SmsTemplate  # noqa: E402

# WeChat Customer Service (微信客服) lives in its own module too (re-exported).
from kefu.channels.models_wecom import WechatIdentity as WechatIdentity  # noqa: E402
from kefu.channels.models_wecom import WechatMpTemplate as WechatMpTemplate  # noqa: E402
from kefu.channels.models_wecom import WechatSent as WechatSent  # noqa: E402
from kefu.channels.models_wecom import WecomAccessToken as WecomAccessToken  # noqa: E402
from kefu.channels.models_wecom import WecomKfAccount as WecomKfAccount  # noqa: E402
