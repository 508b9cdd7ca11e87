"""The desk's data: cases and messages, SLA policies, escalations, transfers,
commitments, compensation, reply templates and saved views."""

from kefu.cases.models.case import Attachment, Case, CaseEvent, CaseLink, Message
from kefu.cases.models.drafts import CasePresence, ReplyDraft
from kefu.cases.models.promises import Commitment, CompensationOffer
from kefu.cases.models.routing import AuthorityLimit, Escalation, SlaBreach, SlaPolicy, Transfer
from kefu.cases.models.workspace import PlaybookStep, ReplyTemplate, SavedView

__all__ = [
    "Attachment",
    "AuthorityLimit",
    "Case",
    "CaseEvent",
    "CaseLink",
    "CasePresence",
    "Commitment",
    "CompensationOffer",
    "Escalation",
    "Message",
    "PlaybookStep",
    "ReplyDraft",
    "ReplyTemplate",
    "SavedView",
    "SlaBreach",
    "SlaPolicy",
    "Transfer",
]
