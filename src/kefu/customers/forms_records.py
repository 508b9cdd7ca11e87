"""Forms of the organisation and contact create and edit pages.

They parse what was typed; the rules (phone, email, unique names, quiet hours) are the
services' and the CSV import's (``kefu.customers.validation``), shown on the field
they concern in the user's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import DomainError
from kefu.customers.errors import CustomerErrorCode
from kefu.customers.masking import mask_email, mask_id_number, mask_phone
from kefu.customers.models import REACHABLE_CHANNELS, Channel, Contact, Organisation
from kefu.customers.phones import phone_display

FIELD_OF = {
    CustomerErrorCode.NAME_REQUIRED: "name",
    CustomerErrorCode.DUPLICATE_ORGANISATION: "name",
    CustomerErrorCode.UNKNOWN_TIER: "tier",
    CustomerErrorCode.INVALID_TAG: "tags",
    CustomerErrorCode.INVALID_PHONE: "phone",
    CustomerErrorCode.INVALID_EMAIL: "email",
    CustomerErrorCode.INVALID_ID_NUMBER: "id_number",
    CustomerErrorCode.UNKNOWN_LANGUAGE: "language",
    CustomerErrorCode.UNKNOWN_CHANNEL: "preferred_channels",
    CustomerErrorCode.DUPLICATE_CHANNEL: "preferred_channels",
    CustomerErrorCode.INVALID_QUIET_HOURS: "quiet_hours",
}


def show_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal on the field it concerns, else on the whole form."""
    field = FIELD_OF.get(exc.code)  # type: ignore[call-overload]
    form.add_error(field if field in form.fields else None, exc.text())


def split_list(text: str) -> list[str]:
    """Tags as typed: commas of either width or new lines between them."""
    return [p for p in text.replace("，", ",").replace("\n", ",").split(",") if p.strip()]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    tier = forms.ChoiceField(label=_("Tier"), choices=Organisation.Tier)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("A province or city; stoppage notices pick customers by it."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=900, required=False, help_text=_("Separate tags with commas.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, object]:
        return {
            "name": organisation.name,
            "tier": organisation.tier,
            "industry": organisation.industry,
            "region": organisation.region,
            "address": organisation.address,
            "tags": ", ".join(organisation.tags),
            "notes": organisation.notes,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = split_list(data["tags"])
        return data


# Personal data a role without REVEAL_PII does not see: the field starts empty, shows the
# mask, and an empty field keeps the stored value.
PROTECTED = {"phone": mask_phone, "email": mask_email, "id_number": mask_id_number}


class ContactForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— none —"),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    im_handle = forms.CharField(label=_("IM handle"), max_length=100, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    preferred_channels = forms.MultipleChoiceField(
        label=_("Preferred channels"),
        choices=[(c.value, c.label) for c in Channel if c.value in REACHABLE_CHANNELS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_hours = forms.CharField(
        label=_("Quiet hours"),
        max_length=20,
        required=False,
        help_text=_("HH:MM-HH:MM, for example 22:00-08:00; empty for none."),
    )
    is_active = forms.BooleanField(label=_("Still a contact"), required=False, initial=True)

    def __init__(
        self, *args: Any, contact: Contact | None = None, can_reveal: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.kept: set[str] = set()
        if contact is None:
            del self.fields["is_active"]
        elif not can_reveal:
            for name, mask in PROTECTED.items():
                stored = getattr(contact, name)
                if stored:
                    self.kept.add(name)
                    self.fields[name].help_text = _(
                        "Now %(masked)s; leave empty to keep it, or type the new value."
                    ) % {"masked": mask(stored)}

    @classmethod
    def initial_for(cls, contact: Contact, *, can_reveal: bool) -> dict[str, object]:
        from kefu.customers.validation import format_quiet_hours

        initial: dict[str, object] = {
            "organisation": contact.organisation_id,
            "name": contact.name,
            "title": contact.title,
            "im_handle": contact.im_handle,
            "language": contact.language,
            "preferred_channels": contact.preferred_channels,
            "quiet_hours": format_quiet_hours(contact.quiet_hours_start, contact.quiet_hours_end),
            "is_active": contact.is_active,
        }
        for name in PROTECTED:
            initial[name] = getattr(contact, name) if can_reveal else ""
        if can_reveal:
            # Stored in E.164; people read and type the national form (138 0013 8000).
            initial["phone"] = phone_display(contact.phone)
        return initial

    def values(self) -> dict[str, Any]:
        """The typed values as the services take them; a protected field left empty is
        not a change."""
        data = dict(self.cleaned_data)
        for name in self.kept:
            if not data.get(name, "").strip():
                data.pop(name, None)
        if self.contact is not None and set(data["preferred_channels"]) == set(
            self.contact.preferred_channels
        ):
            # The same channels ticked: keep the contact's own order of preference.
            data["preferred_channels"] = list(self.contact.preferred_channels)
        return data
