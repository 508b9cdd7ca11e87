from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import services
from kefu.core.errors import RateLimitedError


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address. Behind a proxy, the proxy must set REMOTE_ADDR (docs/operations.md)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form with one generic failure message and a rate limit."""

    error_messages = {
        "invalid_login": _("Sign-in failed. Check the username and password and try again."),
        "inactive": _("Sign-in failed. Check the username and password and try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        ip_address = client_ip(self.request)
        now = timezone.now()
        try:
            services.login_check_allowed(username=username, ip_address=ip_address, at=now)
        except RateLimitedError as exc:
            raise ValidationError(exc.text(), code="rate_limited") from exc
        try:
            cleaned = super().clean()
        except ValidationError:
            services.login_record_failure(username=username, ip_address=ip_address, at=now)
            raise
        services.login_record_success(username=username, at=now)
        return cleaned


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    target_type = forms.CharField(label=_("Record type"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
