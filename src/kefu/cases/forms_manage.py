"""Forms of the desk's managing pages: a new case, a case's details, assignment,
merge and link, and the queue's bulk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, CaseLink
from kefu.cases.services.bulk import BULK_ACTION_LABELS, BulkAction
from kefu.cases.services.desk import MAX_CALL_MINUTES
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.core.roles import ROLE_PERMISSIONS, Perm
from kefu.customers import validation
from kefu.customers.errors import CustomerErrorCode, CustomerInvalidError

CHANNEL_CHOICES = [
    ("phone", _("Phone call")),
    ("email", _("Email")),
    ("chat", _("Chat")),
    ("walk_in", _("Walk-in")),
]
DIRECTION_CHOICES = [("in", _("The customer called")), ("out", _("I called the customer"))]


def staff_who_work_cases() -> QuerySet[User]:
    """Active staff whose role works cases, by display name: whom a case can go to."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.WORK_CASES in perms]
    return (
        User.objects.filter(is_active=True, role__in=roles)
        .select_related("team")
        .order_by("display_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField[User]):
    """People picked by the name colleagues know them by, with their team; never the login."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.team.name}" if obj.team else str(obj)


# Where a customers refusal belongs on a form that also has other fields.
CONTACT_FIELD_OF = {
    CustomerErrorCode.NAME_REQUIRED: "name",
    CustomerErrorCode.INVALID_PHONE: "phone",
    CustomerErrorCode.INVALID_EMAIL: "email",
    CustomerErrorCode.INVALID_ID_NUMBER: "id_number",
    CustomerErrorCode.UNKNOWN_LANGUAGE: "language",
    CustomerErrorCode.UNKNOWN_CHANNEL: "preferred_channels",
    CustomerErrorCode.DUPLICATE_CHANNEL: "preferred_channels",
    CustomerErrorCode.INVALID_QUIET_HOURS: "quiet_hours",
    CustomerErrorCode.UNKNOWN_TIER: "tier",
    CustomerErrorCode.INVALID_TAG: "tags",
    CustomerErrorCode.DUPLICATE_ORGANISATION: "name",
}


def add_domain_error(
    form: forms.Form, exc: DomainError, field_of: dict[Any, str], prefix: str = ""
) -> None:
    """Show ``exc`` on the field it concerns (``field_of`` by error code), else on the form."""
    field = field_of.get(exc.code)
    name = f"{prefix}{field}" if field else None
    form.add_error(name if name in form.fields else None, exc.text())


def split_tags(text: str) -> list[str]:
    """``"漏水, 回访"`` → ``["漏水", "回访"]`` (commas of either width, or new lines)."""
    return [part for part in text.replace("，", ",").replace("\n", ",").split(",") if part.strip()]


class TagsField(forms.CharField):
    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        try:
            return validation.clean_tags(split_tags(text))
        except CustomerInvalidError as exc:
            raise forms.ValidationError(exc.text()) from None


class NewCaseForm(forms.Form):
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    new_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    new_email = forms.CharField(label=_("Email"), required=False, max_length=254)
    new_organisation = forms.CharField(
        label=_("Organisation (optional)"),
        required=False,
        max_length=200,
        help_text=_("Its name exactly as on file."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=CHANNEL_CHOICES, initial="phone", widget=forms.RadioSelect
    )
    call_direction = forms.ChoiceField(
        label=_("Who called"),
        choices=DIRECTION_CHOICES,
        initial="in",
        required=False,
        widget=forms.RadioSelect,
    )
    call_minutes = forms.IntegerField(
        label=_("Call length (minutes)"), min_value=0, max_value=MAX_CALL_MINUTES, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("First message or call note"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the customer wrote, or what was said on the call."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Case.Category, initial=Case.Category.ENQUIRY
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Case.Priority, initial=Case.Priority.NORMAL
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contact") and not (data.get("new_name") or "").strip():
            self.add_error(
                "new_name", _("Pick the customer above or enter the new customer's name.")
            )
        if data.get("channel") == "phone":
            if not data.get("call_direction"):
                self.add_error("call_direction", _("Say who called."))
            if data.get("call_minutes") is None:
                self.add_error("call_minutes", _("Give the call's length in minutes."))
        return data


class CaseDetailsForm(forms.Form):
    """The case's details, with what the agent saw when the form was drawn (``seen_*``),
    so a save that collides can say what the colleague changed."""

    subject = forms.CharField(label=_("Subject"), max_length=300)
    priority = forms.ChoiceField(label=_("Priority"), choices=Case.Priority)
    category = forms.ChoiceField(label=_("Category"), choices=Case.Category)
    tags = TagsField(
        label=_("Tags"), required=False, max_length=900, help_text=_("Separate tags with commas.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_subject = forms.CharField(required=False, widget=forms.HiddenInput)
    seen_priority = forms.CharField(required=False, widget=forms.HiddenInput)
    seen_category = forms.CharField(required=False, widget=forms.HiddenInput)
    seen_tags = forms.CharField(required=False, widget=forms.HiddenInput)

    FIELDS = ("subject", "priority", "category", "tags")

    @classmethod
    def for_case(cls, case: Case) -> CaseDetailsForm:
        values: dict[str, object] = {
            "subject": case.subject,
            "priority": case.priority,
            "category": case.category,
            "tags": ", ".join(case.tags),
            "version": case.version,
        }
        values.update({f"seen_{name}": values[name] for name in cls.FIELDS})
        return cls(initial=values)

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def changed_meanwhile(self, case: Case) -> list[tuple[str, str]]:
        """(label, value now) of each detail that differs from what the form was drawn with."""
        now = {
            "subject": case.subject,
            "priority": case.get_priority_display(),
            "category": case.get_category_display(),
            "tags": ", ".join(case.tags),
        }
        seen = {
            "subject": self.data.get("seen_subject", ""),
            "priority": dict(Case.Priority.choices).get(self.data.get("seen_priority", ""), ""),
            "category": dict(Case.Category.choices).get(self.data.get("seen_category", ""), ""),
            "tags": self.data.get("seen_tags", ""),
        }
        return [
            (str(self.fields[name].label), str(now[name]))
            for name in self.FIELDS
            if str(seen[name]) != str(now[name])
        ]

    def again(self, case: Case) -> CaseDetailsForm:
        """The user's values again, drawn against the case as it is now (a second save
        then goes through, deliberately)."""
        data = {key: self.data.get(key, "") for key in self.fields}
        data["version"] = str(case.version)
        data["seen_subject"] = case.subject
        data["seen_priority"] = case.priority
        data["seen_category"] = case.category
        data["seen_tags"] = ", ".join(case.tags)
        return type(self)(data)


class AssignForm(forms.Form):
    owner = StaffChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_who_work_cases()  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args: Any, department_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            department_id=department_id
        ).order_by("name")
        self.fields["team"].label_from_instance = lambda team: team.name  # type: ignore[attr-defined]


class CaseReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Case"),
        max_length=100,
        help_text=_("Its reference (KF-2026-000123), or words that find only that case."),
    )


class LinkForm(CaseReferenceForm):
    kind = forms.ChoiceField(label=_("Link type"), choices=CaseLink.Kind)


class BulkForm(forms.Form):
    cases = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(action.value, BULK_ACTION_LABELS[action]) for action in BulkAction],
    )
    owner = StaffChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Case.Status.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Case.Priority.choices], required=False
    )
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_who_work_cases()  # type: ignore[attr-defined]

    def clean_cases(self) -> list[int]:
        raw = self.cleaned_data.get("cases") or []
        ids: list[int] = []
        for value in raw:
            if not str(value).isdigit():
                raise forms.ValidationError(
                    _("The selection is not valid; select the cases again.")
                )
            ids.append(int(value))
        return list(dict.fromkeys(ids))
