"""Forms of the campaign pages, and reading the public answer form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.quality import servqual
from kefu.quality.models_campaigns import CampaignFeature, SurveyCampaign
from kefu.quality.services.campaigns import FeatureText


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyCampaign.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    business = forms.CharField(
        label=_("Business (SERVQUAL wording; empty for the default)"),
        max_length=100,
        required=False,
    )
    instrument_1988 = forms.BooleanField(
        label=_("1988 instrument (negatively worded items reversed)"), required=False
    )
    features = forms.CharField(
        label=_("KANO features"),
        help_text=_(
            "One per line: name | functional question in Chinese | in English | "
            "dysfunctional question in Chinese | in English"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def feature_texts(self) -> list[FeatureText]:
        texts = []
        for line in self.cleaned_data["features"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (5 - len(parts))
            texts.append(FeatureText(*parts[:5]))
        return texts


class InviteForm(forms.Form):
    tag = forms.CharField(label=_("Organisation tag"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)


@dataclass
class Read:
    """What the public form sent: the valid values and the errors per field name."""

    pairs: dict[int, tuple[int, int]] = field(default_factory=dict)
    points: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


def _int(post: Mapping[str, str], name: str, allowed: range, read: Read) -> int | None:
    raw = (post.get(name) or "").strip()
    read.values[name] = raw
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value not in allowed:
        read.errors[name] = str(
            _("Please choose an answer.")
            if not raw
            else _("Please choose a value from %(low)s to %(high)s.")
            % {"low": allowed.start, "high": allowed.stop - 1}
        )
        return None
    return value


def read_servqual(post: Mapping[str, str]) -> Read:
    read = Read()
    for item in servqual.ITEMS:
        e = _int(post, f"e{item}", servqual.SCALE, read)
        p = _int(post, f"p{item}", servqual.SCALE, read)
        if e is not None and p is not None:
            read.pairs[item] = (e, p)
    for dimension in servqual.Dimension:
        name = f"w_{dimension.value}"
        if not (post.get(name) or "").strip():
            read.values[name] = ""
            read.points[dimension.value] = 0
            continue
        value = _int(post, name, range(101), read)
        if value is not None:
            read.points[dimension.value] = value
    total = sum(read.points.values())
    if len(read.points) == len(servqual.Dimension) and total != 100:
        read.errors["weights"] = str(
            _("The importance points add up to %(total)s; they must add up to 100.")
            % {"total": total}
        )
    return read


def read_kano(post: Mapping[str, str], features: Sequence[CampaignFeature]) -> Read:
    read = Read()
    for feature in features:
        f = _int(post, f"f{feature.pk}", range(1, 6), read)
        d = _int(post, f"d{feature.pk}", range(1, 6), read)
        if f is not None and d is not None:
            read.pairs[feature.pk] = (f, d)
    return read
