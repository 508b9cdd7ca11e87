"""Forms of the collaboration panel on the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.cases.forms_manage import StaffChoiceField, staff_who_work_cases
from kefu.core.models import User


class InviteForm(forms.Form):
    user = StaffChoiceField(label=_("Colleague"), queryset=User.objects.none())
    task = forms.CharField(
        label=_("Their task"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    task_due = forms.DateTimeField(
        label=_("Task due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_who_work_cases().select_related("department")  # type: ignore[attr-defined]


class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done (goes on the case as an internal note)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SideStartForm(forms.Form):
    party_name = forms.CharField(label=_("With (name)"), max_length=200)
    party_email = forms.EmailField(label=_("Their e-mail"))
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class SideReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"), min_value=5, max_value=600, initial=60
    )
    location = forms.CharField(label=_("Place or online link"), max_length=500)
    extra_emails = forms.CharField(
        label=_("Also invite (e-mails, comma-separated)"), required=False, max_length=2000
    )

    def emails(self) -> list[str]:
        text = str(self.cleaned_data.get("extra_emails") or "")
        return [item.strip() for item in text.replace("，", ",").split(",") if item.strip()]


class CheckInForm(forms.Form):
    every_hours = forms.IntegerField(
        label=_("Check in every (hours; 0 stops it)"), min_value=0, max_value=24 * 14
    )


class TaskForceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    lead = StaffChoiceField(label=_("Lead"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_who_work_cases()
        self.fields["lead"].queryset = staff  # type: ignore[attr-defined]
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]
