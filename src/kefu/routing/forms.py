"""Forms of the routing pages: a team's settings, a skill, a case's requirement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core.models import User
from kefu.customers.models import Channel, Organisation
from kefu.routing.models import RoutingMethod, SkillKind, TeamRouting

LEVELS = [(1, _("1 — can handle it")), (2, _("2 — experienced")), (3, _("3 — expert"))]
FREE_KINDS = [(SkillKind.TOPIC, SkillKind.TOPIC.label), (SkillKind.REGION, SkillKind.REGION.label)]


def skill_choices() -> list[tuple[Any, Any]]:
    """Every listed skill as "kind:value", grouped by kind; region and topic are typed."""
    groups: list[tuple[Any, Any]] = [("", _("— a region or topic, typed below —"))]
    for kind, choices in (
        (SkillKind.CATEGORY, Case.Category.choices),
        (SkillKind.LANGUAGE, settings.LANGUAGES),
        (SkillKind.CHANNEL, Channel.choices),
        (SkillKind.TIER, Organisation.Tier.choices),
    ):
        groups.append((kind.label, [(f"{kind}:{value}", label) for value, label in choices]))
    return groups


class SkillFields(forms.Form):
    """A skill picked from the lists, or a region or topic typed in."""

    skill = forms.ChoiceField(label=_("Skill"), required=False, choices=skill_choices)
    free_kind = forms.ChoiceField(label=_("or a"), choices=FREE_KINDS, required=False)
    free_value = forms.CharField(label=_("named"), max_length=100, required=False)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int, initial=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        free = (data.get("free_value") or "").strip()
        if free:
            data["kind"], data["value"] = data.get("free_kind") or SkillKind.TOPIC, free
        elif data.get("skill"):
            data["kind"], data["value"] = str(data["skill"]).split(":", 1)
        else:
            raise forms.ValidationError(_("Pick a skill from the list or type a region or topic."))
        return data


class SkillForm(SkillFields):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=User.objects.none())

    def __init__(self, *args: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agent"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = agents
        self.order_fields(["agent", "skill", "free_kind", "free_value", "level"])


class TeamRoutingForm(forms.Form):
    is_enabled = forms.BooleanField(label=_("Route new cases"), required=False, initial=True)
    method = forms.ChoiceField(label=_("Method"), choices=RoutingMethod.choices)
    fallback_minutes = forms.IntegerField(
        label=_("Skills first: fall back to the whole team after (minutes)"),
        min_value=0,
        max_value=10_000,
        initial=10,
    )
    require_shift = forms.BooleanField(
        label=_("Only agents on a published shift"), required=False, initial=True
    )
    sticky_days = forms.IntegerField(
        label=_("A returning customer goes back to their agent within (days, 0: never)"),
        min_value=0,
        max_value=10_000,
        initial=7,
    )
    capacity = forms.IntegerField(
        label=_("Capacity per agent (open cases; high counts 2, urgent 3)"),
        min_value=1,
        max_value=10_000,
        initial=15,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Channel.choices:
            self.fields[f"cap_{value}"] = forms.IntegerField(
                label=_("At most on %(channel)s (blank: no limit)") % {"channel": label},
                min_value=0,
                max_value=10_000,
                required=False,
            )

    @classmethod
    def initial_for(cls, row: TeamRouting | None) -> dict[str, Any]:
        if row is None:
            return {"method": RoutingMethod.SKILLS_FIRST, "cap_chat": 3, "cap_email": 10}
        initial: dict[str, Any] = {
            "is_enabled": row.is_enabled,
            "method": row.method,
            "fallback_minutes": row.fallback_minutes,
            "require_shift": row.require_shift,
            "sticky_days": row.sticky_days,
            "capacity": row.capacity,
        }
        for value, limit in row.channel_capacity.items():
            initial[f"cap_{value}"] = limit
        return initial

    def channel_capacity(self) -> dict[str, int]:
        return {
            value: int(self.cleaned_data[f"cap_{value}"])
            for value in Channel.values
            if self.cleaned_data.get(f"cap_{value}") is not None
        }
