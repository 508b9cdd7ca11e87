"""Forms of the people practices: the sick-pay table, contract type, overtime, openings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.floor.models import ContractType, Overtime


class LeavePolicyForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    paid_sick_days = forms.IntegerField(label=_("Paid sick days"), min_value=0, max_value=366)
    sick_pay_percent = forms.IntegerField(
        label=_("Sick pay (percent of pay)"), min_value=0, max_value=100, initial=100
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ContractTypeForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)


class OvertimeForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"), min_value=1, max_value=720
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=Overtime.Reason.choices)
    detail = forms.CharField(label=_("Detail"), max_length=300, required=False)


class OpeningForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    criteria = forms.CharField(
        label=_("Criteria (one a line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each interview scores every criterion from 1 to 5."),
    )
    bar = forms.FloatField(label=_("Hiring bar (average, 1–5)"), min_value=1, max_value=5)
