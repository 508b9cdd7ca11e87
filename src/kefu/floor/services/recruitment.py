"""Recruitment: candidates from their resumes, a pipeline, the national ID kept encrypted."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TypedDict

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.masking import mask_id_number
from kefu.floor import crypto
from kefu.floor.errors import PeopleErrorCode
from kefu.floor.models import Candidate

Stage = Candidate.Stage
# Where each stage may go next. Declined is reachable from every open stage.
NEXT_STAGES: dict[str, frozenset[str]] = {
    Stage.APPLIED: frozenset({Stage.INTERVIEWED, Stage.DECLINED}),
    Stage.INTERVIEWED: frozenset({Stage.OFFERED, Stage.DECLINED}),
    Stage.OFFERED: frozenset({Stage.HIRED, Stage.DECLINED}),
    Stage.HIRED: frozenset(),
    Stage.DECLINED: frozenset(),
}
# Mainland resident ID: 17 digits and a digit or X; older 15-digit cards too.
_NATIONAL_ID = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


class CandidateChanges(TypedDict, total=False):
    name: str
    email: str
    phone: str
    position: str
    education: str
    experience: str
    languages: str
    computer_skills: str
    availability: str
    expected_pay: int | None
    self_introduction: str


def _national_id(value: str) -> tuple[str, str]:
    cleaned = value.strip().replace(" ", "")
    if not cleaned:
        return "", ""
    if not _NATIONAL_ID.match(cleaned):
        raise DomainError(
            PeopleErrorCode.INVALID_NATIONAL_ID,
            _("A national ID number is 18 characters (digits, last may be X) or 15 digits."),
        )
    return crypto.encrypt(cleaned.upper()), mask_id_number(cleaned.upper())


def _clean(changes: CandidateChanges) -> CandidateChanges:
    cleaned = CandidateChanges(**changes)
    for key, value in changes.items():
        if isinstance(value, str):
            cleaned[key] = value.strip()  # type: ignore[literal-required]
    if "name" in changes and not cleaned["name"]:
        raise DomainError(
            PeopleErrorCode.EMPTY_TEXT, _("%(field)s cannot be empty."), field=_("Name")
        )
    return cleaned


@transaction.atomic
def candidate_create(
    *, actor: User, changes: CandidateChanges, national_id: str = "", at: datetime
) -> Candidate:
    """Add a candidate with the job-relevant parts of their resume (stage: applied)."""
    authorize(actor, Perm.VIEW_TEAM)
    cleaned = _clean(changes)
    ciphertext, masked = _national_id(national_id)
    candidate = Candidate.objects.create(
        **cleaned,
        national_id_ciphertext=ciphertext,
        national_id_masked=masked,
        created_at=at,
        updated_at=at,
    )
    audit_record(
        actor=actor,
        action="candidate.created",
        target=candidate,
        at=at,
        after={"name": candidate.name, "national_id": masked},
    )
    return candidate


@transaction.atomic
def candidate_update(
    *,
    actor: User,
    candidate: Candidate,
    changes: CandidateChanges,
    at: datetime,
    national_id: str | None = None,
) -> Candidate:
    """Change resume fields; ``national_id`` None keeps it, "" removes it."""
    authorize(actor, Perm.VIEW_TEAM)
    cleaned = _clean(changes)
    before = {key: getattr(candidate, key) for key in cleaned}
    for key, value in cleaned.items():
        setattr(candidate, key, value)
    fields = [*cleaned.keys(), "updated_at"]
    if national_id is not None:
        before["national_id"] = candidate.national_id_masked
        ciphertext, masked = _national_id(national_id)
        candidate.national_id_ciphertext, candidate.national_id_masked = ciphertext, masked
        cleaned["national_id"] = masked  # type: ignore[typeddict-unknown-key]
        fields += ["national_id_ciphertext", "national_id_masked"]
    candidate.updated_at = at
    candidate.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="candidate.updated",
        target=candidate,
        at=at,
        before={k: v for k, v in before.items() if k not in {"self_introduction"}},
        after={k: v for k, v in cleaned.items() if k not in {"self_introduction"}},
    )
    return candidate


@transaction.atomic
def candidate_move(*, actor: User, candidate: Candidate, stage: str, at: datetime) -> Candidate:
    """Move a candidate along the pipeline (applied → interviewed → offered → hired, or
    declined from any open stage); any other step → ``stage_not_allowed``."""
    authorize(actor, Perm.VIEW_TEAM)
    if stage not in NEXT_STAGES.get(candidate.stage, frozenset()):
        raise ConflictError(
            PeopleErrorCode.STAGE_NOT_ALLOWED,
            _("A candidate who is %(current)s cannot move to %(stage)s."),
            current=candidate.get_stage_display(),
            stage=Stage(stage).label if stage in Stage.values else stage,
        )
    updated = Candidate.objects.filter(pk=candidate.pk, stage=candidate.stage).update(
        stage=stage, updated_at=at
    )
    if updated != 1:
        raise ConflictError(
            PeopleErrorCode.STAGE_NOT_ALLOWED, _("The candidate moved meanwhile; look again.")
        )
    before = candidate.stage
    candidate.refresh_from_db()
    audit_record(
        actor=actor,
        action="candidate.stage_changed",
        target=candidate,
        at=at,
        before={"stage": before},
        after={"stage": stage},
    )
    return candidate


@transaction.atomic
def candidate_reveal_national_id(*, actor: User, candidate: Candidate, at: datetime) -> str:
    """The full national ID of ``candidate``. Needs ``REVEAL_PII``; every reveal is
    audit-logged (naming the field, never the value)."""
    authorize(actor, Perm.REVEAL_PII)
    if not candidate.national_id_ciphertext:
        raise DomainError(PeopleErrorCode.NO_NATIONAL_ID, _("No national ID is on file."))
    try:
        value = crypto.decrypt(candidate.national_id_ciphertext)
    except crypto.UndecryptableError as exc:
        raise DomainError(
            PeopleErrorCode.UNDECRYPTABLE,
            _("The stored national ID cannot be read with the configured key."),
        ) from exc
    audit_record(
        actor=actor,
        action="candidate.pii_revealed",
        target=candidate,
        at=at,
        after={"fields": ["national_id"]},
    )
    return value
