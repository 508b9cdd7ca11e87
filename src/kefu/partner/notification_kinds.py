"""The notifications the writing partner sends, as codes rendered for the reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import notification_kind_register

BUDGET_SPENT = notification_kind_register(
    "partner.budget_spent",
    subject=_("The writing partner's token budget for %(month)s is spent"),
    body=_(
        "%(used)s of %(budget)s tokens are used, so the writing partner stops until next "
        "month. Raise KEFU_LLM_MONTHLY_TOKEN_BUDGET and restart kefu to go on now."
    ),
)
