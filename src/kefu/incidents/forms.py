"""Forms of the incident pages (parsing only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import User
from kefu.incidents.models import CallTask, ContinuationPlan, ImpactEntry, Incident

_DATE = forms.DateInput(attrs={"type": "date"})
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _words(text: str) -> list[str]:
    return [w for w in text.replace("，", ",").replace(",", " ").split() if w]


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_point = forms.CharField(label=_("Who to reach"), required=False, max_length=300)
    started_at = forms.DateTimeField(label=_("Started at"), widget=_DATETIME)
    expected_from = forms.DateField(label=_("Expected resumption (from)"), widget=_DATE)
    expected_to = forms.DateField(
        label=_("Expected resumption (to, for a range)"), required=False, widget=_DATE
    )
    intervals = forms.CharField(
        label=_("Update interval in hours (e.g. 3, 6, 12, 24; the last repeats)"),
        initial="3, 6, 12, 24",
    )
    auto_send_updates = forms.BooleanField(
        label=_("Send due updates automatically"), required=False, initial=True
    )

    def clean_intervals(self) -> list[int]:
        try:
            return [int(w) for w in _words(self.cleaned_data["intervals"])]
        except ValueError:
            raise forms.ValidationError(_("Give whole hours separated by commas.")) from None


class PickForm(forms.Form):
    projects = forms.CharField(label=_("Projects"), required=False)
    organisations = forms.CharField(label=_("Customers"), required=False)
    contacts = forms.CharField(label=_("Contacts"), required=False)
    tags = forms.CharField(label=_("Tags"), required=False)
    regions = forms.CharField(label=_("Regions"), required=False)

    def ids(self, name: str) -> list[int]:
        # Pickers send ids (multiple selects) or comma-separated ids.
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        out: list[int] = []
        for value in values:
            out += [int(w) for w in _words(value) if w.isdigit()]
        return out

    def words(self, name: str) -> list[str]:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        return [w for value in values for w in _words(value)]


class TextForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CallForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallTask.Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False)


class UpdateForm(forms.Form):
    body_zh = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 6}))
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 6}))


class UpdateNowForm(forms.Form):
    """An update sent before it is due; empty texts send the standard update."""

    body_zh = forms.CharField(
        label=_("Your message (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to send the standard update."),
    )
    body_en = forms.CharField(
        label=_("Your message (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to send the standard update."),
    )


class StaffChoiceField(forms.ModelChoiceField[User]):
    """Staff picked by the name colleagues know them by, never the login."""

    def label_from_instance(self, obj: User) -> str:
        return str(obj.display_name or obj.username)


def _active_staff() -> Any:
    return User.objects.filter(is_active=True).order_by("display_name", "username")


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    shared = forms.BooleanField(label=_("Share with customers"), required=False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit: int = settings.KEFU_MAX_ATTACHMENT_BYTES
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)s MB."),
                code="too_large",
                params={"megabytes": f"{limit / (1024 * 1024):g}"},
            )
        return upload


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContinuationPlan.Kind.choices)
    parts = forms.CharField(
        label=_("Parts of the work that continue"), widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_DATE)


class ImpactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ImpactEntry.Kind.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    crew_size = forms.IntegerField(label=_("Crew size"), required=False, min_value=0)
    idle_days = forms.DecimalField(label=_("Idle days"), required=False, min_value=0)
    supplier = forms.CharField(label=_("Supplier"), required=False)
    item = forms.CharField(label=_("Item"), required=False)
    old_date = forms.DateField(label=_("Old date"), required=False, widget=_DATE)
    new_date = forms.DateField(label=_("New date"), required=False, widget=_DATE)
    confirmed = forms.BooleanField(label=_("Confirmed with the supplier"), required=False)
    cost = forms.DecimalField(label=_("Cost (CNY)"), required=False, min_value=0)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_DATETIME)
    duration_minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"), initial=60, min_value=5
    )
    online_link = forms.URLField(label=_("Online link"), assume_scheme="https")
    extra_emails = forms.CharField(label=_("Other parties (emails)"), required=False)

    def emails(self) -> list[str]:
        return _words(self.cleaned_data.get("extra_emails", ""))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))


class ResumeForm(forms.Form):
    resume_on = forms.DateField(label=_("Work resumes on"), widget=_DATE)
    work_plan = forms.CharField(label=_("Work plan"), widget=forms.Textarea(attrs={"rows": 2}))
    risks = forms.CharField(label=_("Risks"), widget=forms.Textarea(attrs={"rows": 2}))
    progress_plan = forms.CharField(
        label=_("Progress plan"), widget=forms.Textarea(attrs={"rows": 2})
    )
    compensation = forms.CharField(
        label=_("Compensation for the delay"), widget=forms.Textarea(attrs={"rows": 2})
    )
    supervision = forms.CharField(
        label=_("Invitation to supervise on site"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    why1 = forms.CharField(label=_("Why 1"), required=False)
    why2 = forms.CharField(label=_("Why 2"), required=False)
    why3 = forms.CharField(label=_("Why 3"), required=False)
    why4 = forms.CharField(label=_("Why 4"), required=False)
    why5 = forms.CharField(label=_("Why 5"), required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def whys(self) -> list[str]:
        data: dict[str, Any] = self.cleaned_data
        return [data.get(f"why{i}", "") for i in range(1, 6)]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, StaffChoiceField)  # noqa: S101
        owner.queryset = _active_staff()

    due_on = forms.DateField(label=_("Due on"), widget=_DATE)


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
