"""Internal customers (内部客户): staff of another department who raise cases.

Each such member of staff has one contact that stands for them on the desk (the
requester of their cases), made on first use from their profile.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from kefu.core.models import User
from kefu.customers.models import Contact


def internal_contact_for(user: User, *, at: datetime) -> Contact:
    """The contact standing for ``user``; kept in step with their name, e-mail and language."""
    contact = Contact.objects.filter(user=user).first()
    name = str(user)[:100]
    language = user.language or "zh-hans"
    if contact is None:
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    user=user,
                    name=name,
                    email=user.email,
                    language=language,
                    preferred_channels=["email"] if user.email else [],
                    created_at=at,
                )
        except IntegrityError:
            return Contact.objects.get(user=user)
    changed = {
        field: value
        for field, value in (("name", name), ("email", user.email), ("language", language))
        if getattr(contact, field) != value
    }
    if changed:
        Contact.objects.filter(pk=contact.pk).update(**changed)
        for field, value in changed.items():
            setattr(contact, field, value)
    return contact


def is_internal(contact: Contact) -> bool:
    return contact.user_id is not None
