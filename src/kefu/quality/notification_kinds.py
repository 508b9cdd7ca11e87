"""The notifications quality work sends, as codes rendered for the reader when read
(:mod:`kefu.core.notifications`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core.notifications import Params, notification_kind_register
from kefu.quality.models import WarningAlarm


def _alarm_labels(params: Params) -> Params:
    series, key = str(params.get("series", "")), str(params.get("key", ""))
    series_text = (
        str(WarningAlarm.Series(series).label) if series in WarningAlarm.Series.values else series
    )
    if series == WarningAlarm.Series.CATEGORY and key in Case.Category.values:
        value = str(Case.Category(key).label)
    else:
        value = key or "—"
    return {**params, "series": series_text, "value": value}


LOW_SCORE = notification_kind_register(
    "quality.low_score",
    subject=_("%(reference)s: the customer rated the service %(score)s/5"),
    body=_(
        "The customer of %(reference)s answered the satisfaction survey with "
        "%(score)s/5. Follow-up case %(follow)s is yours: call them, listen, "
        "and agree what happens next."
    ),
)
EARLY_WARNING = notification_kind_register(
    "quality.early_warning",
    subject=_("Early warning: complaints up in %(series)s %(value)s"),
    body=_(
        "%(count)s complaints in the period from %(start)s (%(method)s above its "
        "limit; baseline %(mu0)s per period). The cases behind it are listed on the "
        "alarm page."
    ),
    prepare=_alarm_labels,
)
DIGEST = notification_kind_register(
    "quality.weekly_digest",
    subject=_("Weekly service digest: %(cases)s cases, CSAT %(csat)s"),
    body=_(
        "Last seven days: %(cases)s cases opened; service level %(service_level)s; "
        "answer rate %(answer_rate)s; median first response %(first_response)s min; "
        "median resolution %(resolution)s h; backlog %(backlog)s; escalations "
        "%(escalations)s (over heads %(over_heads)s); commitments kept %(kept)s; "
        "CSAT %(csat)s from %(responses)s answers; NPS %(nps)s."
    ),
)
