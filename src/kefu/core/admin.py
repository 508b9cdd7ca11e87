from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import calendar_overrides, services
from kefu.core.alert_admin import StaffAlertSettingInline
from kefu.core.calendar import REGIONS
from kefu.core.forms import ThrottledAdminAuthenticationForm
from kefu.core.models import (
    ApiToken,
    AuditEntry,
    CalendarOverride,
    Department,
    ScheduledJob,
    Team,
    User,
)

# /admin/login/ counts failures with the normal sign-in (docs/security.md).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "display_name", "role", "department", "team", "is_active"]
    list_filter = ["role", "department", "is_active"]
    # Where the person's alerts also go (WeCom), under their profile.
    inlines = [StaffAlertSettingInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("kefu"),
            {"fields": ("display_name", "role", "department", "team", "language", "phone")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued by ``kefu api-token create``; here they are only seen and revoked."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    fields = readonly_fields = (
        *("prefix", "user", "name"),
        *("created_at", "expires_at", "last_used_at", "revoked_at"),
    )
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        at = timezone.now()
        for token in queryset:
            services.api_token_revoke(actor=actor, token=token, at=at)
        self.message_user(request, _("The selected tokens are revoked."))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "department", "working_hours", "working_days", "calendar_region"]


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin[ScheduledJob]):
    list_display = ["key", "kind", "due_at", "attempts", "last_error", "done_at"]
    list_filter = ["kind"]
    search_fields = ["key"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_name", "action", "target_type", "target_id", "target_label"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    """Holidays and make-up working days; every save and delete goes through the
    service, so it is audited and the open SLA clocks are re-timed."""

    list_display = ["day", "kind", "name", "region", "team"]
    list_filter = ["region", "kind", "team"]
    search_fields = ["name"]
    date_hierarchy = "day"
    fields = ["region", "team", "day", "kind", "name"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            labels = {"cn": _("Mainland China (cn)"), "none": _("No holidays (none)")}
            choices = [(code, labels.get(code, code)) for code in sorted(REGIONS)]
            return forms.ChoiceField(
                choices=choices, label=db_field.verbose_name, initial="cn", required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        at = timezone.now()
        if obj.team is not None:
            obj.region = obj.team.calendar_region  # a team's day off lives in its region
        if change:
            original = CalendarOverride.objects.get(pk=obj.pk)
            if (original.region, original.team_id, original.day) != (
                obj.region,
                obj.team_id,
                obj.day,
            ):
                calendar_overrides.calendar_override_delete(actor=actor, override=original, at=at)
        saved = calendar_overrides.calendar_override_save(
            actor=actor,
            region=obj.region,
            team=obj.team,
            day=obj.day,
            kind=obj.kind,
            name=obj.name,
            at=at,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        actor = request.user if isinstance(request.user, User) else None
        calendar_overrides.calendar_override_delete(actor=actor, override=obj, at=timezone.now())

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
