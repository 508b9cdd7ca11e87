"""Forms of the floor and people pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.floor.models import AgentState, Candidate, CareerEvent, ExitRecord, Leave

WORKING_STATES = [
    (value, label)
    for value, label in AgentState.State.choices
    if value not in {"scheduled_break", "meal", "special_break"}
]


class HandForm(forms.Form):
    case = forms.CharField(label=_("Case reference (optional)"), max_length=20, required=False)
    note = forms.CharField(label=_("What do you need? (optional)"), max_length=200, required=False)


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=WORKING_STATES)


class BreakForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("scheduled", _("Scheduled break")),
            ("meal", _("Meal")),
            ("special", _("Break now")),
        ]
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class DateInput(forms.DateInput):
    input_type = "date"


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Leave.Kind.choices)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class CareerEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CareerEvent.Kind.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    detail = forms.CharField(label=_("Detail"), max_length=200, required=False)


class CoachingForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    agreed_actions = forms.CharField(
        label=_("Agreed actions"), widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DateInput, required=False)


class DisciplineForm(forms.Form):
    coaching = forms.TypedChoiceField(label=_("Coaching conversation"), coerce=int, choices=())
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, conversations: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["coaching"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = conversations


class ExitForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=ExitRecord.Reason.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    education = forms.CharField(
        label=_("Education"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    experience = forms.CharField(
        label=_("Experience"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    computer_skills = forms.CharField(label=_("Computer skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    expected_pay = forms.IntegerField(label=_("Expected monthly pay"), min_value=0, required=False)
    self_introduction = forms.CharField(
        label=_("Self-introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    national_id = forms.CharField(label=_("National ID number"), max_length=30, required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Candidate.Stage.choices)
