"""The notifications incident work sends, as codes rendered for the reader when read
(:mod:`kefu.core.notifications`)."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import Params, notification_kind_register
from kefu.core.timefmt import parse_instant


def _auto_clock_time(params: Params) -> Params:
    instant = parse_instant(params.get("auto"))
    if instant is None:
        return params
    return {**params, "auto": formats.time_format(timezone.localtime(instant), "H:i")}


UPDATE_DUE = notification_kind_register(
    "incidents.update_due",
    subject=_("Update due for %(ref)s"),
    body=_(
        "The update for %(ref)s is due. A draft is ready; edit and send it, or it "
        "goes out as written at %(auto)s."
    ),
    prepare=_auto_clock_time,
)
UPDATE_MISSED = notification_kind_register(
    "incidents.update_missed",
    subject=_("Missed update on %(ref)s"),
    body=_(
        "The update on %(ref)s due at %(due)s has not gone out. Customers are "
        "waiting; please send it or find out why."
    ),
)
