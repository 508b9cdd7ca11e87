"""Writes to the SMS template registry (the admin and the API call these)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.channels.errors import ChannelErrorCode
from kefu.channels.models import SmsTemplate
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm

_NAME = re.compile(r"[a-z][a-z0-9_]{0,19}")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_CODE = re.compile(r"[A-Za-z0-9_\-]{0,40}")


class SmsTemplateInvalidError(DomainError):
    """The template as entered cannot be sent; ``field`` names what to fix."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        super().__init__(ChannelErrorCode.BAD_SMS_TEMPLATE, message, **params)
        self.field = field


def sms_template_check(*, variables: list[str], text_zh: str, codes: list[str]) -> list[str]:
    """The cleaned variable names; raises ``SmsTemplateInvalidError`` naming the field.

    Each variable is a short lower-case name, used once in the text as ``${name}``,
    and the text uses no other placeholder (the provider would refuse it).
    """
    names = [v.strip() for v in variables if v.strip()]
    for name in names:
        if not _NAME.fullmatch(name):
            raise SmsTemplateInvalidError(
                "variables",
                _("“%(name)s” is not a variable name: use lower-case letters, digits and _."),
                name=name,
            )
    if len(set(names)) != len(names):
        raise SmsTemplateInvalidError("variables", _("Each variable may be named only once."))
    if not text_zh.strip():
        raise SmsTemplateInvalidError("text_zh", _("Enter the text as the provider approved it."))
    used = _PLACEHOLDER.findall(text_zh)
    for name in used:
        if name not in names:
            raise SmsTemplateInvalidError(
                "text_zh",
                _("The text uses ${%(name)s}, which is not one of the variables."),
                name=name,
            )
    for name in names:
        if name not in used:
            raise SmsTemplateInvalidError(
                "text_zh",
                _("The variable %(name)s does not appear in the text as ${%(name)s}."),
                name=name,
            )
    for code in codes:
        if not _CODE.fullmatch(code.strip()):
            raise SmsTemplateInvalidError(
                "aliyun_template_code",
                _("A template code holds letters, digits, - and _ only."),
            )
    return names


@transaction.atomic
def sms_template_update(
    *,
    actor: User,
    template: SmsTemplate,
    aliyun_template_code: str,
    tencent_template_id: str,
    variables: list[str],
    text_zh: str,
    at: datetime,
) -> SmsTemplate:
    """Change one purpose's template (codes, variables, approved text), audited."""
    authorize(actor, Perm.MANAGE_SETTINGS)
    names = sms_template_check(
        variables=variables,
        text_zh=text_zh,
        codes=[aliyun_template_code, tencent_template_id],
    )
    fields = ("aliyun_template_code", "tencent_template_id", "variables", "text_zh")
    # Read from the row: a form may already have set the new values on ``template``.
    stored = SmsTemplate.objects.filter(pk=template.pk).values(*fields).first()
    before = dict(stored) if stored else {}
    template.aliyun_template_code = aliyun_template_code.strip()
    template.tencent_template_id = tencent_template_id.strip()
    template.variables = names
    template.text_zh = text_zh.strip()
    template.save()
    after = {f: getattr(template, f) for f in fields}
    audit_record(
        actor=actor,
        action="channels.sms_template_changed",
        target=template,
        at=at,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
    )
    return template


def sms_template_preview(template: SmsTemplate, values: dict[str, str] | None = None) -> str:
    """The text as a customer reads it, with sample values (or ``values``) in place."""
    samples = {"ref": "C-2026-00042", "link": "https://kefu.example.cn/n/…/", "code": "483920"}
    samples.update(values or {})

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return samples.get(name, f"[{name}]")

    return _PLACEHOLDER.sub(fill, template.text_zh)
