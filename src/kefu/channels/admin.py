"""Admin pages of the channels: the SMS template registry (writes through its service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.channels.models import SmsTemplate
from kefu.channels.services_sms import (
    SmsTemplateInvalidError,
    sms_template_check,
    sms_template_preview,
    sms_template_update,
)
from kefu.core.requests import request_user


class SmsTemplateForm(forms.ModelForm[SmsTemplate]):
    variables_text = forms.CharField(
        label=_("Variables"),
        required=False,
        help_text=_(
            "The template's variables, comma-separated, in the order of Tencent Cloud's "
            "{1}, {2}…: for example ref, link."
        ),
    )

    class Meta:
        model = SmsTemplate
        fields = ("aliyun_template_code", "tencent_template_id", "text_zh")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variables_text"].initial = ", ".join(self.instance.variables or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        variables = str(cleaned.get("variables_text", "")).split(",")
        try:
            cleaned["variables"] = sms_template_check(
                variables=variables,
                text_zh=str(cleaned.get("text_zh", "")),
                codes=[
                    str(cleaned.get("aliyun_template_code", "")),
                    str(cleaned.get("tencent_template_id", "")),
                ],
            )
        except SmsTemplateInvalidError as exc:
            field = exc.field if exc.field != "variables" else "variables_text"
            self.add_error(field, exc.text())
        return cleaned


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin[SmsTemplate]):
    form = SmsTemplateForm
    list_display = ("purpose", "aliyun_template_code", "tencent_template_id", "preview")
    readonly_fields = ("purpose", "preview", "updated_at")
    fields = (
        "purpose",
        "aliyun_template_code",
        "tencent_template_id",
        "variables_text",
        "text_zh",
        "preview",
        "updated_at",
    )

    @admin.display(description=_("What the customer reads"))
    def preview(self, obj: SmsTemplate) -> str:
        return sms_template_preview(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row per purpose, seeded by the migration.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SmsTemplate | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SmsTemplate, form: Any, change: bool) -> None:
        sms_template_update(
            actor=request_user(request),
            template=obj,
            aliyun_template_code=form.cleaned_data.get("aliyun_template_code", ""),
            tencent_template_id=form.cleaned_data.get("tencent_template_id", ""),
            variables=form.cleaned_data.get("variables", []),
            text_zh=form.cleaned_data.get("text_zh", ""),
            at=timezone.now(),
        )


# WeChat Customer Service's admin pages live in their own module.
from kefu.channels import admin_wecom as admin_wecom  # noqa: E402
