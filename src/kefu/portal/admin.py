"""The portal's settings in the admin: the status page, staff names, organisations'
sharing, the status page's components, and which incidents are internal."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.portal.models import (
    OrganisationPortalAccess,
    PortalSettings,
    PublicIncident,
    StatusComponent,
    StatusSubscriber,
)


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin[PortalSettings]):
    list_display = ("__str__", "status_page_enabled", "show_staff_first_names")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PortalSettings.objects.exists()


@admin.register(OrganisationPortalAccess)
class OrganisationPortalAccessAdmin(admin.ModelAdmin[OrganisationPortalAccess]):
    list_display = ("organisation", "members_see_all_cases")
    autocomplete_fields = ()


@admin.register(StatusComponent)
class StatusComponentAdmin(admin.ModelAdmin[StatusComponent]):
    list_display = ("name_zh", "name_en", "project", "position", "is_shown")
    list_editable = ("position", "is_shown")
    filter_horizontal = ("incidents",)


@admin.register(StatusSubscriber)
class StatusSubscriberAdmin(admin.ModelAdmin[StatusSubscriber]):
    list_display = ("email", "language", "created_at", "confirmed_at", "unsubscribed_at")
    readonly_fields = ("email", "language", "created_at", "confirmed_at", "unsubscribed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PublicIncident)
class PublicIncidentAdmin(admin.ModelAdmin[PublicIncident]):
    """Only the internal flag is edited here; incidents are run on the incidents pages."""

    list_display = ("__str__", "status", "started_at", "is_internal")
    list_editable = ("is_internal",)
    fields = ("title", "status", "is_internal")
    readonly_fields = ("title", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
