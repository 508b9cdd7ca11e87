"""Every write of the desk. Views, the API, commands, tasks and clocks call these."""

from kefu.cases.services.cases import (
    IncomingAttachment,
    case_assign,
    case_note,
    case_open,
    case_open_message,
    case_reply,
    case_set_status,
    case_update,
    case_watch,
    customer_notice,
    intake_department,
    message_receive,
)
from kefu.cases.services.escalation import (
    case_escalate,
    case_escalate_for_breach,
    case_flag_over_heads,
    case_transfer,
)
from kefu.cases.services.merging import case_link, case_merge
from kefu.cases.services.promises import (
    authority_limits,
    commitment_close,
    commitment_create,
    compensation_decide,
    compensation_offer,
)

__all__ = [
    "IncomingAttachment",
    "authority_limits",
    "case_assign",
    "case_escalate",
    "case_escalate_for_breach",
    "case_flag_over_heads",
    "case_link",
    "case_merge",
    "case_note",
    "case_open",
    "case_open_message",
    "case_reply",
    "case_set_status",
    "case_transfer",
    "case_update",
    "case_watch",
    "commitment_close",
    "commitment_create",
    "compensation_decide",
    "compensation_offer",
    "customer_notice",
    "intake_department",
    "message_receive",
]
