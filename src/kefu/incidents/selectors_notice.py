"""Reads behind the incident picker's search and the first notice's preview."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from kefu.customers.models import Contact, Organisation, Project
from kefu.customers.selectors import phone_part_forms
from kefu.incidents import texts
from kefu.incidents.models import Incident
from kefu.incidents.services.incidents import evidence_links


@dataclass(frozen=True)
class PickCandidates:
    organisations: list[Organisation]
    contacts: list[Contact]
    projects: list[Project]


def pick_candidates(*, query: str, limit: int) -> PickCandidates:
    """Customers, contacts and projects whose name (or a contact's phone or e-mail)
    contains ``query``, at most ``limit`` of each, by name; nothing for an empty query."""
    if not query:
        return PickCandidates([], [], [])
    digits = "".join(ch for ch in query if ch.isdigit())
    contact_match = Q(name__icontains=query) | Q(email__icontains=query)
    # Numbers are stored in E.164: a part typed with a trunk 0 or +86 is found too.
    for form in sorted(phone_part_forms(digits)):
        contact_match |= Q(phone__contains=form)
    return PickCandidates(
        organisations=list(
            Organisation.objects.filter(name__icontains=query).order_by("name")[:limit]
        ),
        contacts=list(
            Contact.objects.filter(contact_match)
            .select_related("organisation")
            .order_by("name", "pk")[:limit]
        ),
        projects=list(
            Project.objects.filter(
                Q(name__icontains=query) | Q(organisation__name__icontains=query)
            )
            .select_related("organisation")
            .order_by("organisation__name", "name")[:limit]
        ),
    )


@dataclass(frozen=True)
class NoticePreview:
    language: str
    subject: str
    body: str


def first_notice_preview(incident: Incident) -> list[NoticePreview]:
    """The first notice of ``incident`` in each language, exactly as confirming sends it."""
    evidence, links = evidence_links(incident)
    previews = []
    for language in texts.LANGUAGES:
        subject, body = texts.first_notice(
            incident, language=language, evidence=evidence, links=links
        )
        previews.append(NoticePreview(language, subject, body))
    return previews
