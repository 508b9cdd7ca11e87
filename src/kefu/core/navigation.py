"""The product's navigation: one entry per domain, each behind the role that uses it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.models import User
from kefu.core.roles import Perm


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    perm: Perm | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def blurb(self) -> str | Promise:
        return SECTION_BLURBS.get(self.key, "")


# Each entry's ``perm`` is the one its page checks (cases:queue and incidents:index
# through their selectors, quality:insights and core:audit in the view); the
# permission matrix test opens every entry shown to each role and expects 200.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Overview"), "core:home"),
    NavItem("cases", _("Cases"), "cases:queue", Perm.WORK_CASES),
    NavItem("customers", _("Customers"), "customers:organisation_list"),
    NavItem("assist", _("Conflict coach"), "assist:index"),
    NavItem("incidents", _("Stoppages and outages"), "incidents:index", Perm.WORK_CASES),
    NavItem("kb", _("Knowledge base"), "kb:index", Perm.WORK_CASES),
    NavItem("workforce", _("Workforce"), "workforce:index"),
    NavItem("floor", _("The floor"), "floor:index"),
    # Leads, managers and administrators: exactly the roles routing settings are for.
    NavItem("routing", _("Routing"), "routing:index", Perm.APPROVE_ESCALATIONS),
    # Department managers and administrators: the roles that keep automation rules.
    NavItem("automation", _("Automation"), "automation:index", Perm.VIEW_AUDIT),
    NavItem("quality", _("Quality"), "quality:index"),
    NavItem("insights", _("Insights"), "quality:insights", Perm.VIEW_TEAM),
    NavItem("people", _("People"), "floor:people"),
    # Every member of staff may ask another department for help (internal customers).
    NavItem("requests", _("My requests"), "cases:requests"),
    NavItem("audit", _("Audit log"), "core:audit", Perm.VIEW_AUDIT),
)

SECTION_BLURBS: dict[str, str | Promise] = {
    "cases": _("Cases on every channel, SLA clocks on the working calendar, escalations."),
    "customers": _("Organisations, contacts, their preferred channels and projects."),
    "assist": _("Reads the customer's emotion and coaches every reply."),
    "incidents": _("Tell every affected customer at once and keep updates on rhythm."),
    "kb": _("Articles for customers and agents, searched in Chinese and English."),
    "workforce": _("Forecasts, Erlang staffing and schedules with protected breaks."),
    "floor": _("Raise a hand, take a break, report sick: no questions asked."),
    "routing": _("Skills, capacities and how each team's new cases find an agent."),
    "automation": _("Triggers, timed automations, macros and outbound webhooks."),
    "quality": _("CSAT, SERVQUAL and KANO surveys, QA scorecards."),
    "insights": _("Root causes, early warning and dashboards."),
    "people": _("Careers, coaching conversations and retention."),
    "requests": _("Ask another department for help and follow your request."),
    "audit": _("Who changed what, and when; every reveal of personal data."),
}


def navigation_for(user: User) -> list[NavItem]:
    """The entries ``user`` may open, in menu order."""
    return [item for item in NAVIGATION if item.perm is None or user.has_role_perm(item.perm)]
