"""Who may add to a case from outside: the rule that keeps mail threading from being hijacked.

A Message-ID or a case reference is easy to copy or guess, so naming a case is
never enough to write into it; the sender must be on the case's side.
"""

from __future__ import annotations

from kefu.cases.models import Case, Message
from kefu.customers.models import Contact


def contact_may_write_to_case(*, case: Case, contact: Contact) -> bool:
    """Whether a message from ``contact`` that names ``case`` may be added to it.

    True for the case's contact, for a contact who already wrote in on the case
    (or on a case merged into it), and, when the case is not confidential, for a
    contact of the case's organisation (or of its contact's organisation).
    """
    if case.contact_id == contact.pk:
        return True
    if Message.objects.filter(
        case=case, contact=contact, direction=Message.Direction.INBOUND
    ).exists():
        return True
    if Case.objects.filter(merged_into=case, contact=contact).exists():
        return True
    organisation_id = contact.organisation_id
    if case.is_confidential or organisation_id is None:
        return False
    return organisation_id in (case.organisation_id, case.contact.organisation_id)
