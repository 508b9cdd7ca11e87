from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import services
from kefu.core.errors import RateLimitedError
from kefu.core.requests import client_address


class ThrottledLoginMixin:
    """The sign-in limit, for Django's login form and the admin's alike.

    Each attempt is counted before its password is checked
    (``services.login_attempt_start``), and cleared when it succeeds.
    """

    request: HttpRequest | None
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        if not username or not self.cleaned_data.get("password"):
            return super().clean()  # type: ignore[misc,no-any-return]
        ip_address = client_address(self.request)
        now = timezone.now()
        try:
            services.login_attempt_start(username=username, ip_address=ip_address, at=now)
        except RateLimitedError as exc:
            raise ValidationError(exc.text(), code="rate_limited") from exc
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if self.user_cache is not None:
            services.login_record_success(username=username, at=now)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    """Django's login form with one generic failure message and the sign-in limit."""

    error_messages = {
        "invalid_login": _("Sign-in failed. Check the username and password and try again."),
        "inactive": _("Sign-in failed. Check the username and password and try again."),
    }


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's sign-in form under the same limit as the normal sign-in."""


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
