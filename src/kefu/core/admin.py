from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kefu.core.models import AuditEntry, Department, ScheduledJob, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "display_name", "role", "department", "team", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("kefu"),
            {"fields": ("display_name", "role", "department", "team", "language", "phone")},
        ),
    )


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
