"""What the WeChat Customer Service channel (微信客服, WeCom kf API) keeps.

Imported by ``kefu.channels.models`` so Django finds these models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.channels.models_sms import SmsPurpose


class WecomKfAccount(models.Model):
    """One WeChat Customer Service account (客服账号) this desk answers for.

    A callback for an account not listed here is ignored. ``cursor`` is how
    far ``sync_msg`` has read; it is saved after every page, so a crash reads
    the last page again (the message ids stop repeats) and never skips one.
    """

    open_kfid = models.CharField(_("open kf id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    cursor = models.CharField(_("sync cursor"), max_length=200, blank=True)
    synced_at = models.DateTimeField(_("synced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("WeChat Customer Service account")
        verbose_name_plural = _("WeChat Customer Service accounts")

    def __str__(self) -> str:
        return self.name or self.open_kfid


class WecomAccessToken(models.Model):
    """The WeCom access token, shared by every process until shortly before it expires."""

    corp_id = models.CharField(_("corp id"), max_length=64, unique=True)
    token = models.CharField(_("access token"), max_length=600)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("WeCom access token")
        verbose_name_plural = _("WeCom access tokens")

    def __str__(self) -> str:
        return self.corp_id


class WechatIdentity(models.Model):
    """A WeChat user talking to one account, and their contact: on a kf account
    (``kind`` kf: ``open_kfid``, ``external_userid``) or on the Official Account
    (``kind`` mp: the app id in ``open_kfid``, the user's openid in ``external_userid``).

    ``last_inbound_at`` opens WeChat's reply window: replies are allowed for
    48 hours after the customer's last message (on kf at most five of them,
    counted in ``window_sent``, which a new customer message sets back to 0).
    """

    class Kind(models.TextChoices):
        KF = "kf", _("WeChat Customer Service")
        MP = "mp", _("Official Account")

    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.CASCADE,
        related_name="wechat_identities",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("account kind"), max_length=4, choices=Kind, default=Kind.KF)
    open_kfid = models.CharField(_("open kf id"), max_length=64)
    external_userid = models.CharField(_("WeChat user id"), max_length=64)
    nickname = models.CharField(_("nickname"), max_length=100, blank=True)
    last_inbound_at = models.DateTimeField(_("last customer message at"), null=True, blank=True)
    # Messages sent since ``last_inbound_at``: taken by a compare-and-swap UPDATE
    # before each send, so two workers never send a sixth.
    window_sent = models.PositiveSmallIntegerField(_("sent in the window"), default=0)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("WeChat identity")
        verbose_name_plural = _("WeChat identities")
        constraints = [
            models.UniqueConstraint(
                fields=["open_kfid", "external_userid"], name="wechat_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return self.nickname or self.external_userid


class WechatSent(models.Model):
    """One message kefu sent by ``send_msg``: counts against the reply window, and
    its ``msgid`` (derived from the kefu message) stops a resend from sending twice."""

    identity = models.ForeignKey(
        WechatIdentity, on_delete=models.CASCADE, related_name="sent", verbose_name=_("identity")
    )
    msgid = models.CharField(_("message id"), max_length=32, unique=True)
    wecom_msgid = models.CharField(_("WeCom message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("WeChat message sent")
        verbose_name_plural = _("WeChat messages sent")
        indexes = [models.Index(fields=["identity", "sent_at"], name="wechat_sent_window")]

    def __str__(self) -> str:
        return self.msgid


class WechatMpTemplate(models.Model):
    """The Official Account template message of one purpose, sent when the 48-hour
    window is closed: WeChat's ``template_id`` and what each of its fields says.

    ``fields`` maps the template's field names to texts in which ``{ref}`` (the
    case or incident reference), ``{text}`` (the start of the message) and
    ``{time}`` are filled in: ``{"first": "{text}", "keyword1": "{ref}"}``. The
    message links to the full notice page.
    """

    purpose = models.CharField(_("purpose"), max_length=40, choices=SmsPurpose, unique=True)
    template_id = models.CharField(_("template ID"), max_length=64)
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Official Account template message")
        verbose_name_plural = _("Official Account template messages")
        ordering = ["purpose"]

    def __str__(self) -> str:
        return str(self.get_purpose_display())
