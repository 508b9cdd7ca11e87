"""The SMS template registry: one provider-approved template per purpose.

China's SMS providers (Aliyun, Tencent Cloud) send nothing but a registered
signature and an approved template with variables. kefu keeps, per purpose, the
template's code at each provider, its named variables (in the order Tencent's
positional ``{1}``, ``{2}`` take them) and the Chinese text as approved, so the
desk can show what the customer will read.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsPurpose(models.TextChoices):
    REPLY_WAITING = "reply_waiting", _("Reply waiting")
    INCIDENT_FIRST_NOTICE = "incident_first_notice", _("Incident first notice")
    INCIDENT_UPDATE = "incident_update", _("Incident update")
    RESUMPTION_NOTICE = "resumption_notice", _("Resumption notice")
    COMMITMENT_REMINDER = "commitment_reminder", _("Commitment reminder")
    SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
    PORTAL_SIGN_IN_CODE = "portal_sign_in_code", _("Portal sign-in code")


class SmsTemplate(models.Model):
    """The approved SMS template of one purpose (at most one row per purpose)."""

    purpose = models.CharField(_("purpose"), max_length=40, choices=SmsPurpose, unique=True)
    # Aliyun's template code ("SMS_123456789"); empty: not registered at Aliyun.
    aliyun_template_code = models.CharField(_("Aliyun template code"), max_length=40, blank=True)
    # Tencent Cloud's template id ("1234567"); empty: not registered at Tencent Cloud.
    tencent_template_id = models.CharField(
        _("Tencent Cloud template ID"), max_length=40, blank=True
    )
    # Named variables, in the order of Tencent's {1}, {2}...: ["ref", "link"].
    variables = models.JSONField(_("variables"), default=list, blank=True)
    # The text as the provider approved it, variables written ${name}.
    text_zh = models.TextField(_("approved text (Chinese)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["purpose"]

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    def code_for(self, provider: str) -> str:
        """The template's code at ``provider`` ("aliyun" or "tencent"); "" if none."""
        if provider == "aliyun":
            return self.aliyun_template_code.strip()
        if provider == "tencent":
            return self.tencent_template_id.strip()
        return ""
