"""The writing partner in the admin: departments kept from it (administrators
edit), and the call log (read-only; the page /partner/calls/ shows it too)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.partner.models import ExcludedDepartment, PartnerCall


def _may_manage(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.has_role_perm(Perm.MANAGE_SETTINGS)


@admin.register(ExcludedDepartment)
class ExcludedDepartmentAdmin(admin.ModelAdmin[ExcludedDepartment]):
    list_display = ["department", "reason"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_view_permission(
        self, request: HttpRequest, obj: ExcludedDepartment | None = None
    ) -> bool:
        return _may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_change_permission(
        self, request: HttpRequest, obj: ExcludedDepartment | None = None
    ) -> bool:
        return _may_manage(request)

    def has_delete_permission(
        self, request: HttpRequest, obj: ExcludedDepartment | None = None
    ) -> bool:
        return _may_manage(request)


@admin.register(PartnerCall)
class PartnerCallAdmin(admin.ModelAdmin[PartnerCall]):
    list_display = ["at", "actor", "case", "purpose", "outcome", "fault", "prompt_tokens"]
    list_filter = ["purpose", "outcome"]
    readonly_fields = [field.name for field in PartnerCall._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: PartnerCall | None = None) -> bool:
        return _may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PartnerCall | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PartnerCall | None = None) -> bool:
        return False
