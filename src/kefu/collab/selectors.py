"""Reads of collaboration on a case."""

from __future__ import annotations

from dataclasses import dataclass

from kefu.cases.models import Case
from kefu.collab.models import CaseMeeting, CheckInRhythm, Collaborator, SideConversation, TaskForce
from kefu.core.models import User


@dataclass(frozen=True)
class CaseCollaboration:
    collaborators: list[Collaborator]
    conversations: list[SideConversation]
    meetings: list[CaseMeeting]
    check_in: CheckInRhythm | None
    task_force: TaskForce | None
    my_open_tasks: list[Collaborator]


def case_collaboration(case: Case, *, viewer: User) -> CaseCollaboration:
    collaborators = list(
        Collaborator.objects.filter(case=case).select_related("user__department", "invited_by")
    )
    return CaseCollaboration(
        collaborators=collaborators,
        conversations=list(
            SideConversation.objects.filter(case=case).prefetch_related("messages__author")
        ),
        meetings=list(CaseMeeting.objects.filter(case=case)),
        check_in=CheckInRhythm.objects.filter(case=case, is_active=True).first(),
        task_force=TaskForce.objects.filter(case=case)
        .select_related("lead")
        .prefetch_related("members")
        .first(),
        my_open_tasks=[c for c in collaborators if c.user_id == viewer.pk and c.done_at is None],
    )


def my_collaborations(user: User) -> list[Collaborator]:
    """The open tasks ``user`` was asked to help with, oldest due first."""
    return list(
        Collaborator.objects.filter(user=user, done_at__isnull=True)
        .select_related("case")
        .order_by("due_at", "invited_at")
    )
