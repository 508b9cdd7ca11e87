"""Forms of the workforce pages: history upload, forecast, schedule rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Team
from kefu.workforce.models import Forecast, Queue


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("History file (CSV)"),
        help_text=_("Columns interval_start,queue,offered,answered,abandoned,aht."),
    )
    queue = forms.CharField(
        label=_("Queue for rows without one"), max_length=100, required=False, initial="default"
    )


class ForecastForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.all())
    start = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=92, initial=7)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "start" not in self.initial:
            today = timezone.localdate()
            self.initial["start"] = today + timedelta(days=7 - today.weekday())


def _hours(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise ValidationError(_("Give hours as numbers separated by commas, e.g. 8, 9.")) from None
    if not values:
        raise ValidationError(_("Give at least one shift length."))
    return values


class ScheduleForm(forms.Form):
    forecast = forms.ModelChoiceField(
        label=_("Forecast"), queryset=Forecast.objects.select_related("queue")
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all())
    week_start = forms.DateField(
        label=_("Week starting"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    interval_minutes = forms.TypedChoiceField(
        label=_("Planning interval (minutes)"),
        choices=[(15, "15"), (30, "30")],
        coerce=int,
        initial=15,
    )
    shift_lengths = forms.CharField(
        label=_("Shift lengths (hours, comma-separated)"), initial="8", max_length=60
    )
    break_minutes = forms.IntegerField(
        label=_("Break length (minutes)"), min_value=0, max_value=60, initial=15
    )
    break1_from = forms.FloatField(label=_("First break: from hour"), initial=1.5, min_value=0)
    break1_to = forms.FloatField(label=_("First break: by hour"), initial=3.5, min_value=0)
    break2_from = forms.FloatField(
        label=_("Second break: from hour"), initial=5.5, min_value=0, required=False
    )
    break2_to = forms.FloatField(
        label=_("Second break: by hour"), initial=7.5, min_value=0, required=False
    )
    meal_minutes = forms.IntegerField(
        label=_("Meal length (minutes)"), min_value=30, max_value=120, initial=60
    )
    meal_from = forms.FloatField(label=_("Meal: from hour"), initial=3, min_value=0)
    meal_to = forms.FloatField(label=_("Meal: by hour"), initial=5.5, min_value=0)
    rest_after_meal_minutes = forms.IntegerField(
        label=_("Rest after the meal (minutes)"),
        help_text=_("Off the phones straight after the meal; 0 for none."),
        min_value=0,
        max_value=120,
        initial=0,
        required=False,
    )
    min_rest_hours = forms.FloatField(
        label=_("Rest between shifts (hours)"), initial=11, min_value=0, max_value=24
    )
    max_consecutive_days = forms.IntegerField(
        label=_("Most days in a row"), initial=6, min_value=1, max_value=7
    )
    time_limit = forms.IntegerField(
        label=_("Solver time limit (seconds)"), initial=30, min_value=1, max_value=600
    )

    def clean_shift_lengths(self) -> list[float]:
        return _hours(self.cleaned_data["shift_lengths"])

    def rules(self) -> dict[str, Any]:
        """The rules JSON (the format of ``kefu schedule --rules``) from the cleaned fields."""
        data = self.cleaned_data
        breaks = []
        if data["break_minutes"]:
            breaks.append(
                {
                    "minutes": data["break_minutes"],
                    "earliest_after_hours": data["break1_from"],
                    "latest_after_hours": data["break1_to"],
                }
            )
            if data.get("break2_from") is not None and data.get("break2_to") is not None:
                breaks.append(
                    {
                        "minutes": data["break_minutes"],
                        "earliest_after_hours": data["break2_from"],
                        "latest_after_hours": data["break2_to"],
                    }
                )
        return {
            "interval_minutes": data["interval_minutes"],
            "shift_lengths_hours": data["shift_lengths"],
            "breaks": breaks,
            "meal": {
                "minutes": data["meal_minutes"],
                "earliest_after_hours": data["meal_from"],
                "latest_after_hours": data["meal_to"],
            },
            "min_rest_hours": data["min_rest_hours"],
            "max_consecutive_days": data["max_consecutive_days"],
            "rest_after_meal_minutes": data.get("rest_after_meal_minutes") or 0,
        }
