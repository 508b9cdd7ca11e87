"""Reads of the files on a case's messages: who may open which."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Attachment
from kefu.cases.selectors import access_case
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm


def case_read_perm(actor: User) -> Perm:
    """The permission under which ``actor`` reads a case page: working it, or, for a
    QA inspector who does not work cases, scoring it (read-only)."""
    if not actor.has_role_perm(Perm.WORK_CASES) and actor.has_role_perm(Perm.SCORE_QUALITY):
        return Perm.SCORE_QUALITY
    return Perm.WORK_CASES


def access_attachment(actor: User, attachment_id: int) -> Attachment:
    """The attachment, if ``actor`` may read the case its message belongs to (the same
    check as the case page, ``access_case``); else ``attachment_not_found``, whether
    the file is missing or its case is hidden from ``actor`` (a confidential case of
    another department): no existence leak. A role that may not read cases at all
    gets the case page's refusal.
    """
    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise _not_found()
    try:
        case = access_case(actor, attachment.message.case_id, perm=case_read_perm(actor))
    except NotFoundError:
        raise _not_found() from None
    attachment.message.case = case
    return attachment


def _not_found() -> NotFoundError:
    return NotFoundError(CaseErrorCode.ATTACHMENT_NOT_FOUND, _("No such file."))
