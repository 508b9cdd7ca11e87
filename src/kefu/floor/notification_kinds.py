"""The notifications the floor sends, as codes rendered for the reader when read
(:mod:`kefu.core.notifications`)."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import Params, notification_kind_register
from kefu.core.timefmt import parse_instant
from kefu.floor.absence import Pattern

SUPPORT = _("This is not a penalty: a friendly talk may find the real cause and what would help.")


def _with_support(params: Params) -> Params:
    return {**params, "support": str(SUPPORT)}


def _clock_times(params: Params) -> Params:
    shown = dict(params)
    for key in ("start", "window_end"):
        instant = parse_instant(params.get(key))
        if instant is not None:
            shown[key] = formats.time_format(timezone.localtime(instant), "H:i")
    return shown


CHECK_IN = {
    Pattern.FREQUENT_SICK: notification_kind_register(
        "floor.check_in_frequent_sick",
        subject=_("A check-in with %(agent)s may help"),
        body=_("%(agent)s has had %(count)s sick days in the last %(days)s days. %(support)s"),
        prepare=_with_support,
    ),
    Pattern.WEEKEND_ADJACENT: notification_kind_register(
        "floor.check_in_weekend_adjacent",
        subject=_("A check-in with %(agent)s may help"),
        body=_(
            "%(agent)s has had %(count)s absences next to a weekend in the last %(days)s days. "
            "%(support)s"
        ),
        prepare=_with_support,
    ),
}
MEAL_AT_RISK = notification_kind_register(
    "floor.meal_at_risk",
    subject=_("Meal at risk: %(agent)s at %(start)s"),
    body=_(
        "On the current traffic, %(agent)s's meal planned at %(start)s would not "
        "end by %(window_end)s. Could swap a break: %(swap)s. Could take calls: "
        "%(take)s."
    ),
    prepare=_clock_times,
)


def _hand_details(params: Params) -> Params:
    return {
        **params,
        "ref": params.get("ref") or "—",
        "note": params.get("note") or str(_("no note")),
    }


HAND_RAISED = notification_kind_register(
    "floor.hand_raised",
    subject=_("%(agent)s raised a hand"),
    body=_("%(agent)s asks for help. Case: %(ref)s. Note: %(note)s"),
    prepare=_hand_details,
)


def _waited(params: Params) -> Params:
    shown = _hand_details(params)
    instant = parse_instant(params.get("raised_at"))
    if instant is not None:
        shown["raised_at"] = formats.time_format(timezone.localtime(instant), "H:i")
    return shown


HAND_WAITING = notification_kind_register(
    "floor.hand_waiting",
    subject=_("%(agent)s's hand has waited %(minutes)s minutes"),
    body=_(
        "%(agent)s raised a hand at %(raised_at)s and nobody has answered yet. "
        "Case: %(ref)s. Note: %(note)s"
    ),
    prepare=_waited,
)


def _since(params: Params) -> Params:
    shown = dict(params)
    instant = parse_instant(params.get("since"))
    if instant is not None:
        shown["since"] = formats.time_format(timezone.localtime(instant), "H:i")
    return shown


SPECIAL_BREAK_LONG = notification_kind_register(
    "floor.special_break_long",
    subject=_("A quiet check on %(agent)s?"),
    body=_(
        "%(agent)s has been on a break outside the plan since %(since)s (%(minutes)s "
        "minutes). Nothing is wrong with that; you might look in, in case they need a hand "
        "or some time."
    ),
    prepare=_since,
)
