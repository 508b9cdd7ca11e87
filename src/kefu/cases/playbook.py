"""The complaint playbook's steps as the agent reads them (a name and what the
step asks for; the steps themselves are the coach's, assist.engine.PLAYBOOK_STEPS),
and the names of the threats the coach reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

STEP_LABELS: dict[str, tuple[str | Promise, str | Promise]] = {
    "listen": (_("Listen"), _("Let the customer tell the whole story; do not interrupt.")),
    "empathize": (_("Empathize"), _("Name the customer's feeling in your reply.")),
    "clarify": (_("Clarify the core demand"), _("Say back what the customer wants, and confirm.")),
    "apologize": (_("Apologize"), _("Apologize for the trouble, without blaming anyone.")),
    "propose": (_("Propose solutions"), _("Offer a solution, or alternatives to choose from.")),
    "agree": (_("Agree"), _("Agree the solution with the customer.")),
    "commit": (_("Commit with dates"), _("Promise what happens next and by when.")),
    "follow_up": (_("Follow up"), _("Check back after the fix that it holds.")),
    "review": (_("Review"), _("Note what caused the complaint and how to avoid it.")),
}


# Where a customer threatens to take the matter (the coach's threat kinds).
THREAT_KINDS: dict[str, str | Promise] = {
    "regulator": _("regulator"),
    "media": _("media"),
    "legal": _("lawyer or court"),
    "over_heads": _("over heads"),
}


def threat_kinds_text(kinds: Iterable[str]) -> str | Promise:
    """The kinds as a list in the reader's language, rendered when shown (lazily)."""
    labels = [THREAT_KINDS.get(kind, kind) for kind in kinds]
    if not labels:
        return "-"
    return format_lazy("、".join(["{}"] * len(labels)), *labels)


def step_label(step: str) -> str:
    return str(STEP_LABELS.get(step, (step, ""))[0])
