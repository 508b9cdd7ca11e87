"""Reads of the SMS template registry (the API and the admin show the same)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from kefu.channels.models import SmsTemplate
from kefu.channels.services_sms import sms_template_preview
from kefu.core.authz import authorize
from kefu.core.models import User
from kefu.core.roles import Perm


@dataclass(frozen=True)
class SmsTemplateView:
    """One purpose's template as staff read it; ``label`` is in the reader's language."""

    purpose: str
    label: str
    aliyun_template_code: str
    tencent_template_id: str
    variables: list[str]
    text_zh: str
    preview: str
    # Whether an SMS for this purpose can go out through the configured provider.
    is_ready: bool


def sms_template_list(*, actor: User) -> list[SmsTemplateView]:
    """Every purpose's template, in purpose order; anyone who works cases may read them
    (they show what the customer will read)."""
    authorize(actor, Perm.WORK_CASES)
    provider = str(settings.KEFU_SMS_PROVIDER)
    return [
        SmsTemplateView(
            purpose=t.purpose,
            label=str(t.get_purpose_display()),
            aliyun_template_code=t.aliyun_template_code,
            tencent_template_id=t.tencent_template_id,
            variables=[str(v) for v in t.variables or []],
            text_zh=t.text_zh,
            preview=sms_template_preview(t),
            is_ready=provider == "http" or bool(t.code_for(provider)),
        )
        for t in SmsTemplate.objects.order_by("purpose")
    ]
