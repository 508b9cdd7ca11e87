"""Admin pages of WeChat: the kf accounts kefu answers for (a callback for any other
account is ignored), the Official Account's template messages per purpose and,
read-only, the WeChat identities of contacts."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.channels.models import WechatIdentity, WechatMpTemplate, WecomKfAccount


@admin.register(WecomKfAccount)
class WecomKfAccountAdmin(admin.ModelAdmin[WecomKfAccount]):
    list_display = ("name", "open_kfid", "synced_at")
    search_fields = ("name", "open_kfid")
    # The cursor moves only with sync_msg; editing it would skip or repeat messages.
    readonly_fields = ("cursor", "synced_at")


@admin.register(WechatIdentity)
class WechatIdentityAdmin(admin.ModelAdmin[WechatIdentity]):
    list_display = (
        "nickname",
        "kind",
        "external_userid",
        "open_kfid",
        "contact",
        "last_inbound_at",
        "window_sent",
    )
    list_filter = ("kind",)
    search_fields = ("nickname", "external_userid")
    list_select_related = ("contact",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WechatMpTemplate)
class WechatMpTemplateAdmin(admin.ModelAdmin[WechatMpTemplate]):
    """One template message per purpose: WeChat's template ID and each field's text
    (``{ref}`` and ``{text}`` filled in), sent outside the 48-hour window."""

    list_display = ("purpose", "template_id", "updated_at")
    fields = ("purpose", "template_id", "fields")
