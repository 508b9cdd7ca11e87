"""Template helpers of the customers pages: masks and the reveal control."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers import masking
from kefu.customers.models import Channel, Contact
from kefu.customers.phones import phone_display
from kefu.customers.validation import format_quiet_hours

register = template.Library()

MASKS = {"phone": masking.mask_phone, "id_number": masking.mask_id_number}


@register.filter
def masked_phone(value: str) -> str:
    return masking.mask_phone(value or "")


@register.filter
def phone_national(value: str) -> str:
    """A stored number as people read it: ``138 0013 8000`` (``phones.phone_display``)."""
    return phone_display(value or "")


@register.filter
def masked_id_number(value: str) -> str:
    return masking.mask_id_number(value or "")


@register.simple_tag(takes_context=True)
def contact_email(context: template.Context, contact: Contact) -> str:
    """The contact's email in full where the page's ``can_reveal`` is set, else masked."""
    email: str = contact.email
    return email if context.get("can_reveal") else masking.mask_email(email)


@register.filter
def channel_labels(values: list[str]) -> str:
    labels = dict(Channel.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def quiet_hours(contact: Contact) -> str:
    return format_quiet_hours(contact.quiet_hours_start, contact.quiet_hours_end)


@register.inclusion_tag("customers/_pii_value.html", takes_context=True)
def pii_value(context: template.Context, contact: Contact, field: str) -> dict[str, Any]:
    """A masked value, with a reveal button when the page's ``can_reveal`` is set."""
    value: str = getattr(contact, field)
    return {
        "contact": contact,
        "field": field,
        "masked": MASKS[field](value),
        "can_reveal": bool(context.get("can_reveal")) and bool(value),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def works_cases(user: object) -> bool:
    """Whether ``user`` may create and edit customers (``WORK_CASES``): the pages offer
    those links only to the roles that may open them."""
    return isinstance(user, User) and user.has_role_perm(Perm.WORK_CASES)
