from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.assist import services
from kefu.assist.engine import known_lists
from kefu.assist.models import LexiconEntry
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm


def _list_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in known_lists() if name != "missing"]


class LexiconEntryForm(forms.ModelForm[LexiconEntry]):
    """Validated by the engine, so a bad pattern is a form error, never a server error."""

    list_name = forms.ChoiceField(label=_("list"), choices=_list_choices)

    class Meta:
        model = LexiconEntry
        fields = [
            "list_name",
            "term",
            "pattern",
            "language",
            "weight",
            "emotion",
            "kind",
            "suggestion",
            "explanation_zh",
            "explanation_en",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        probe = LexiconEntry(**{k: v for k, v in cleaned.items() if k in self.Meta.fields})
        try:
            services.lexicon_entry_validate(probe.as_entry())
        except DomainError as exc:
            raise forms.ValidationError(exc.text()) from exc
        return cleaned


def _may_manage(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and (user.is_superuser or user.has_role_perm(Perm.MANAGE_COACH))


@admin.register(LexiconEntry)
class LexiconEntryAdmin(admin.ModelAdmin[LexiconEntry]):
    form = LexiconEntryForm
    list_display = ["list_name", "term", "pattern", "language", "weight", "is_active", "updated_at"]
    list_filter = ["list_name", "is_active", "language"]
    search_fields = ["term", "pattern", "suggestion"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: LexiconEntry | None = None) -> bool:
        return _may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: LexiconEntry | None = None) -> bool:
        return _may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: LexiconEntry | None = None) -> bool:
        return _may_manage(request)

    def save_model(
        self, request: HttpRequest, obj: LexiconEntry, form: forms.ModelForm[Any], change: bool
    ) -> None:
        now = timezone.now()
        if not change:
            assert isinstance(request.user, User)  # noqa: S101
            obj.created_by = request.user
            obj.created_at = now
        obj.updated_at = now
        super().save_model(request, obj, form, change)
