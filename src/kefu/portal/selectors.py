"""What a signed-in customer may read: their cases, messages, files, incidents, surveys.

Every read starts from the contact: ``portal_cases`` is the only way to a case,
so a case of another contact (or of an organisation that does not share its
cases) is a 404 whatever the URL says. Internal notes are never read; a staff
member is named by first name only where the business allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kefu.cases.models import Attachment, Case, Commitment, Message
from kefu.core.models import User
from kefu.customers.models import Contact
from kefu.portal.models import OrganisationPortalAccess, PortalSettings

PAGE_SIZE = 50


def portal_settings() -> PortalSettings:
    """The business's portal settings (the defaults until an administrator saves them)."""
    found = PortalSettings.objects.filter(pk=1).first()
    return found if found is not None else PortalSettings(pk=1)


def sees_organisation_cases(contact: Contact) -> bool:
    """Whether ``contact``'s organisation lets its contacts see all its cases."""
    if contact.organisation_id is None:
        return False
    return OrganisationPortalAccess.objects.filter(
        organisation_id=contact.organisation_id, members_see_all_cases=True
    ).exists()


def portal_cases(contact: Contact) -> QuerySet[Case]:
    """The cases ``contact`` may see: their own, and their organisation's if it allows."""
    visible = Q(contact=contact)
    if sees_organisation_cases(contact):
        visible |= Q(organisation_id=contact.organisation_id)
    return Case.objects.filter(visible)


def portal_case_list(contact: Contact, *, page: int = 1) -> list[Case]:
    """One page (``PAGE_SIZE`` and one more, to tell whether another page follows) of
    ``contact``'s cases, newest activity first, each with ``next_step`` and
    ``next_step_due_at`` (its earliest open promise, or None): two queries."""
    start = max(page - 1, 0) * PAGE_SIZE
    cases = list(
        portal_cases(contact)
        .only("reference", "subject", "status", "updated_at", "contact_id", "category")
        .order_by("-updated_at", "-pk")[start : start + PAGE_SIZE + 1]
    )
    promises: dict[int, tuple[str, datetime | None]] = {}
    for case_id, what, due_at in (
        Commitment.objects.filter(
            case__in=[case.pk for case in cases], status=Commitment.Status.OPEN
        )
        .order_by("-due_at", "-pk")
        .values_list("case_id", "what", "due_at")
    ):
        promises[case_id] = (what, due_at)  # the earliest is written last
    for case in cases:
        step, step_due = promises.get(case.pk, ("", None))
        case.next_step = step  # type: ignore[attr-defined]
        case.next_step_due_at = step_due  # type: ignore[attr-defined]
    return cases


def access_portal_case(contact: Contact, reference: str) -> Case:
    """``contact``'s case ``reference``; 404 (naming nothing) when they may not see it."""
    case = (
        portal_cases(contact)
        .select_related("contact", "organisation")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    return case


@dataclass(frozen=True)
class PortalMessage:
    """One message as the customer reads it."""

    is_mine: bool
    author: str
    body: str
    created_at: datetime
    attachments: list[Attachment]


def staff_label(user: User | None, *, show_first_names: bool) -> str:
    """How a customer reads who wrote: the first name where the business allows it,
    else "Service desk" (never a full name, a username or a display name)."""
    if show_first_names and user is not None and user.first_name.strip():
        return user.first_name.strip()
    return _("Service desk")


def portal_messages(case: Case, *, reader: Contact) -> list[PortalMessage]:
    """The case's messages to and from the customer, oldest first; never internal notes."""
    show_names = portal_settings().show_staff_first_names
    messages = (
        Message.objects.filter(case=case)
        .exclude(direction=Message.Direction.NOTE)
        .select_related("author", "contact")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    shown: list[PortalMessage] = []
    for message in messages:
        inbound = message.direction == Message.Direction.INBOUND
        if inbound:
            writer = message.contact
            author = _("You") if writer is None or writer.pk == reader.pk else writer.name
        else:
            author = staff_label(message.author, show_first_names=show_names)
        shown.append(
            PortalMessage(
                is_mine=inbound,
                author=author,
                body=message.body,
                created_at=message.created_at,
                attachments=list(message.attachments.all()),
            )
        )
    return shown


def next_commitment(case: Case) -> Commitment | None:
    """The earliest open promise on ``case`` (the next step and its time), if any."""
    return (
        Commitment.objects.filter(case=case, status=Commitment.Status.OPEN)
        .order_by("due_at", "pk")
        .first()
    )


def access_portal_attachment(contact: Contact, attachment_id: int) -> Attachment:
    """A file on a customer-facing message of a case ``contact`` may see; else 404."""
    attachment = (
        Attachment.objects.select_related("message__case")
        .filter(pk=attachment_id, message__case__in=portal_cases(contact))
        .exclude(message__direction=Message.Direction.NOTE)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment
