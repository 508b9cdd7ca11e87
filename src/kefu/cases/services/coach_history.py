"""The coach's reading of customer messages stored in bulk: history loaded past the
desk's intake (the demo, an import), read as ``message_read`` would have read
each message when it arrived.

Only the readings are stored (on each message, and the latest one's upset and
escalation risk on its case): the routing ``message_read`` does on arrival
(raising the priority, alerting the lead) belongs to that moment and is not
replayed on history.
"""

from __future__ import annotations

from collections.abc import Iterable

from kefu.assist.engine import read_customer
from kefu.assist.selectors import active_lexicon
from kefu.cases.models import Case, Message
from kefu.cases.services.coach import HISTORY

_READING_FIELDS = ["reading", "sentiment", "upset", "threat", "escalation_risk"]


def messages_read_in_bulk(
    *, messages: Iterable[Message], save: bool = True, batch_size: int = 500
) -> int:
    """Read every customer message in ``messages`` and store the readings.

    Each message is read with the context it had on arrival: the earlier
    customer messages of its case (up to ``HISTORY``, oldest first) and how many
    there were, this one included. Messages that are not from the customer are
    skipped. Each case gets the upset flag and escalation risk of its latest
    customer message.

    With ``save`` the messages and cases must be saved already, and two bulk
    updates store the readings. Without it they are only set on the objects, for
    a caller about to bulk-create them (far faster than updating them after).
    Returns how many messages were read.
    """
    lexicon = active_lexicon()
    by_case: dict[int, list[Message]] = {}
    for message in messages:
        if message.direction == Message.Direction.INBOUND:
            by_case.setdefault(id(message.case), []).append(message)
    read: list[Message] = []
    cases: list[Case] = []
    for inbound in by_case.values():
        inbound.sort(key=lambda message: message.created_at)
        for index, message in enumerate(inbound):
            earlier = [m.body for m in inbound[max(0, index - HISTORY) : index]]
            context = {"contact_count": index + 1, "prior_failure": False, "history": earlier}
            reading = read_customer(message.body, context, lexicon)
            message.reading = {**reading.to_json(), "lexicon": lexicon.version}
            message.sentiment = reading.sentiment
            message.upset = reading.upset
            message.threat = reading.threat
            message.escalation_risk = reading.escalation_risk
            read.append(message)
        case = inbound[-1].case
        case.customer_upset = inbound[-1].upset
        case.escalation_risk = inbound[-1].escalation_risk or 0.0
        cases.append(case)
    if save:
        Message.objects.bulk_update(read, _READING_FIELDS, batch_size=batch_size)
        Case.objects.bulk_update(
            cases, ["customer_upset", "escalation_risk"], batch_size=batch_size
        )
    return len(read)
