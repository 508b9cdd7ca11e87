"""Admin pages of staff alerts: each person's WeCom choice, the team robots, the sends
(failures included, with the provider's code and message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.core import alert_services
from kefu.core.alert_models import StaffAlertDelivery, StaffAlertSetting, TeamAlertRobot


class StaffAlertSettingInline(admin.StackedInline[StaffAlertSetting, Any]):
    model = StaffAlertSetting
    can_delete = False
    extra = 0
    max_num = 1
    fields = ("wecom_user_id", "wecom_app")


@admin.register(StaffAlertSetting)
class StaffAlertSettingAdmin(admin.ModelAdmin[StaffAlertSetting]):
    list_display = ("user", "wecom_user_id", "wecom_app")
    list_filter = ("wecom_app",)
    search_fields = ("user__username", "user__display_name", "wecom_user_id")
    autocomplete_fields = ("user",)


class TeamAlertRobotForm(forms.ModelForm[TeamAlertRobot]):
    webhook = forms.CharField(
        label=_("Webhook URL or key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Paste the robot's whole webhook address or only its key or token. It is "
            "stored encrypted and not shown again; leave empty to keep the stored one."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "DingTalk's 加签 secret (SEC…) or Feishu's signature secret; WeCom robots "
            "have none. Leave empty to keep the stored one."
        ),
    )

    class Meta:
        model = TeamAlertRobot
        fields = ("team", "name", "channel", "language", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("webhook") and not (
            self.instance.pk and self.instance.webhook_ciphertext
        ):
            self.add_error("webhook", _("Enter the robot's webhook URL or key."))
        return cleaned


@admin.register(TeamAlertRobot)
class TeamAlertRobotAdmin(admin.ModelAdmin[TeamAlertRobot]):
    form = TeamAlertRobotForm
    list_display = ("name", "team", "channel", "language", "is_active")
    list_filter = ("channel", "is_active")

    def save_model(
        self, request: HttpRequest, obj: TeamAlertRobot, form: Any, change: bool
    ) -> None:
        saved = alert_services.team_alert_robot_save(
            robot=obj if change else None,
            team=form.cleaned_data["team"],
            name=form.cleaned_data["name"],
            channel=form.cleaned_data["channel"],
            webhook=form.cleaned_data.get("webhook", ""),
            secret=form.cleaned_data.get("secret", ""),
            language=form.cleaned_data["language"],
            is_active=form.cleaned_data["is_active"],
        )
        obj.pk = saved.pk


@admin.register(StaffAlertDelivery)
class StaffAlertDeliveryAdmin(admin.ModelAdmin[StaffAlertDelivery]):
    list_display = (
        "created_at",
        "channel",
        "robot",
        "notification",
        "status",
        "attempts",
        "error_code",
        "last_error",
    )
    list_filter = ("status", "channel")
    readonly_fields = [field.name for field in StaffAlertDelivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Try the selected alerts again now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[StaffAlertDelivery]) -> None:
        now = timezone.now()
        queryset.exclude(status=StaffAlertDelivery.Status.SENT).update(
            status=StaffAlertDelivery.Status.PENDING, due_at=now, locked_until=None
        )
        sent = alert_services.staff_alerts_deliver_due(now=now)
        self.message_user(
            request,
            ngettext("%(count)s alert sent.", "%(count)s alerts sent.", sent) % {"count": sent},
        )
