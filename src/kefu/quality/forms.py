"""Forms of the quality pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kefu.quality.models import Cause, QaCriterion

CSAT_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]
NPS_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]


class SurveyAnswerForm(forms.Form):
    csat = forms.TypedChoiceField(
        label=_("How satisfied are you with how your request was handled?"),
        choices=CSAT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague? (0-10, optional)"),
        choices=NPS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ScoreForm(forms.Form):
    """One 1-5 field per active criterion, plus feedback for the agent."""

    feedback = forms.CharField(
        label=_("Feedback for the agent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: list[QaCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.get_code_display(),
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.criteria = criteria

    def values(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.criteria}


class CaseReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=30)


class CalibrationForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


# Survey answer files are read whole into memory: refuse anything bigger than this.
MAX_CSV_BYTES = 5 * 1024 * 1024


def _bounded(upload: UploadedFile) -> UploadedFile:
    if (upload.size or 0) > MAX_CSV_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(megabytes)s MB; split it."),
            code="too_large",
            params={"megabytes": MAX_CSV_BYTES // (1024 * 1024)},
        )
    return upload


class ServqualUploadForm(forms.Form):
    file = forms.FileField(label=_("Answers (CSV respondent,item,expectation,perception)"))
    weights = forms.FileField(
        label=_("Importance points (CSV respondent,dimension,points; optional)"), required=False
    )
    instrument_1988 = forms.BooleanField(
        label=_("1988 instrument: reverse-score the negatively worded items 10-13 and 18-22"),
        required=False,
    )

    def clean_file(self) -> UploadedFile:
        return _bounded(self.cleaned_data["file"])

    def clean_weights(self) -> UploadedFile | None:
        weights: UploadedFile | None = self.cleaned_data.get("weights")
        return _bounded(weights) if weights else None


class KanoUploadForm(forms.Form):
    file = forms.FileField(label=_("Answers (CSV respondent,feature,functional,dysfunctional)"))

    def clean_file(self) -> UploadedFile:
        return _bounded(self.cleaned_data["file"])


class RootCauseForm(forms.Form):
    problem = forms.CharField(label=_("Problem"), max_length=200)
    cases = forms.CharField(
        label=_("Cases (references, separated by commas)"), required=False, max_length=2000
    )
    incident = forms.IntegerField(
        label=_("Incident number (optional)"), required=False, min_value=1
    )
    conclusion = forms.CharField(
        label=_("Conclusion and actions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Cause.Category.choices:
            self.fields[f"cause_{value}"] = forms.CharField(
                label=label,
                required=False,
                help_text=_("One cause per line."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for n in range(1, 6):
            self.fields[f"why_{n}"] = forms.CharField(
                label=_("Why %(n)s") % {"n": n}, required=False, max_length=300
            )

    def causes(self) -> list[tuple[str, str]]:
        return [
            (value, line)
            for value in Cause.Category.values
            for line in self.cleaned_data[f"cause_{value}"].splitlines()
            if line.strip()
        ]

    def whys(self) -> list[str]:
        return [self.cleaned_data[f"why_{n}"] for n in range(1, 6)]

    def references(self) -> list[str]:
        text = self.cleaned_data["cases"].replace("，", ",")
        return [r.strip() for r in text.split(",") if r.strip()]


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[("7", _("Last 7 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days"))],
        coerce=int,
        required=False,
    )
