from django.contrib import admin

from kefu.cases.models import AuthorityLimit, ReplyTemplate, SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = [
        "name",
        "priority",
        "category",
        "tier",
        "first_response_minutes",
        "next_update_minutes",
        "resolution_minutes",
        "is_active",
    ]
    list_filter = ["is_active", "priority"]


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin[AuthorityLimit]):
    list_display = ["role", "max_compensation"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin[ReplyTemplate]):
    list_display = ["name", "category", "is_active"]
    search_fields = ["name", "body_zh", "body_en"]
