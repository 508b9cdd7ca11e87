"""The wording of notices to customers, rendered in each language the contacts speak.

Every notice is written in both languages when it is created, so a contact
always gets it in theirs (zh-hans or en).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from kefu.core.timefmt import contact_time
from kefu.incidents.models import ContinuationPlan, Evidence, Incident

LANGUAGES = ("zh-hans", "en")


def _day(value: date) -> str:
    return formats.date_format(value, "Y-m-d")


def _moment(value: datetime) -> str:
    # Customers read these: the desk's time, with its zone named (北京时间).
    return str(contact_time(value, None))


def expected_text(incident: Incident) -> str:
    """The expected resumption as a date or a range, in the active language."""
    if incident.expected_to and incident.expected_to != incident.expected_from:
        return str(_("between %(start)s and %(end)s")) % {
            "start": _day(incident.expected_from),
            "end": _day(incident.expected_to),
        }
    return str(_("on %(day)s")) % {"day": _day(incident.expected_from)}


def reach_text(incident: Incident) -> str:
    owner = incident.owner
    default = f"{owner} {owner.phone or owner.email}".strip()
    return incident.contact_point or default


def _evidence_lines(evidence: list[Evidence], links: dict[int, str]) -> str:
    lines = [
        f"- {item.description or item.file.name.rsplit('/', 1)[-1]}: {links.get(item.pk, '')}"
        for item in evidence
        if item.shared
    ]
    if not lines:
        return ""
    return str(_("Evidence:")) + "\n" + "\n".join(lines) + "\n"


def first_notice(
    incident: Incident, *, language: str, evidence: list[Evidence], links: dict[int, str]
) -> tuple[str, str]:
    """Subject and text of the first notice in ``language``."""
    with translation.override(language):
        subject = str(_("Work stopped: %(title)s")) % {"title": incident.title}
        body = str(
            _(
                "Dear customer,\n\nWork on %(title)s stopped on %(start)s.\n"
                "Cause (%(kind)s): %(cause)s\n"
                "We expect to resume %(expected)s.\n"
                "Next steps: %(next)s\n"
                "%(evidence)s"
                "We will send you an update at least every %(hours)s hours, even when "
                "nothing has changed.\nQuestions: %(reach)s\n"
            )
        ) % {
            "title": incident.title,
            "start": _moment(incident.started_at),
            "kind": incident.get_kind_display(),
            "cause": incident.cause,
            "expected": expected_text(incident),
            "next": incident.next_steps or str(_("we will tell you in the next update")),
            "evidence": _evidence_lines(evidence, links),
            "hours": (incident.update_interval_hours or [3])[0],
            "reach": reach_text(incident),
        }
    return subject, body


def update_draft(
    incident: Incident, *, language: str, since: datetime, next_at: datetime
) -> tuple[str, str]:
    """Subject and pre-filled text of a due update ("no change since ...")."""
    with translation.override(language):
        subject = str(_("Update: %(title)s")) % {"title": incident.title}
        body = str(
            _(
                "Dear customer,\n\nNo change since %(since)s: work on %(title)s is still "
                "stopped (%(cause)s).\nWhat we are doing: %(doing)s\n"
                "We still expect to resume %(expected)s.\n"
                "Next update at %(next)s at the latest.\nQuestions: %(reach)s\n"
            )
        ) % {
            "since": _moment(since),
            "title": incident.title,
            "cause": incident.cause,
            "doing": incident.next_steps or str(_("following up with everyone involved")),
            "expected": expected_text(incident),
            "next": _moment(next_at),
            "reach": reach_text(incident),
        }
    return subject, body


def resumption_notice(
    incident: Incident,
    *,
    language: str,
    resume_on: date,
    work_plan: str,
    risks: str,
    progress_plan: str,
    compensation: str,
    supervision: str,
) -> tuple[str, str]:
    with translation.override(language):
        subject = str(_("Work resumes: %(title)s")) % {"title": incident.title}
        body = str(
            _(
                "Dear customer,\n\nWork on %(title)s resumes on %(day)s.\n"
                "Work plan: %(plan)s\nRisks: %(risks)s\nProgress plan: %(progress)s\n"
                "Compensation for the delay: %(compensation)s\n"
                "You are welcome to send your representative to supervise on site and "
                "tell us at once what they see: %(supervision)s\nQuestions: %(reach)s\n"
            )
        ) % {
            "title": incident.title,
            "day": _day(resume_on),
            "plan": work_plan,
            "risks": risks,
            "progress": progress_plan,
            "compensation": compensation,
            "supervision": supervision,
            "reach": reach_text(incident),
        }
    return subject, body


# The survey link is different for every contact; the sender puts it in here.
SURVEY_LINK_PLACEHOLDER = "{survey_link}"


def survey_notice(incident: Incident, *, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = str(_("How did we do? %(title)s")) % {"title": incident.title}
        body = str(
            _(
                "Dear customer,\n\nWork on %(title)s has resumed. Please tell us in one "
                "minute how we kept you informed during the stoppage (a rating from 1 to 5 "
                "and a comment): %(link)s\n"
            )
        ) % {"title": incident.title, "link": SURVEY_LINK_PLACEHOLDER}
    return subject, body


PLAN_LINK_PLACEHOLDER = "{plan_link}"


def plan_notice(plan: ContinuationPlan, *, language: str) -> tuple[str, str]:
    """The message that asks the contact to approve a continuation or remedy plan."""
    incident = plan.incident
    with translation.override(language):
        subject = str(_("For your approval: %(kind)s for %(title)s")) % {
            "kind": plan.get_kind_display(),
            "title": incident.title,
        }
        body = str(
            _(
                "Dear customer,\n\nWhile %(title)s is stopped, we propose the plan below to "
                "keep your work moving. Please read it and accept it, or ask us anything "
                "about it, here: %(link)s\n\n%(kind)s: %(parts)s\n"
            )
        ) % {
            "title": incident.title,
            "kind": plan.get_kind_display(),
            "parts": plan.parts,
            "link": PLAN_LINK_PLACEHOLDER,
        }
    return subject, body


def call_script(incident: Incident, *, body: str) -> str:
    """The script for an agent phoning a contact who prefers calls."""
    return str(
        _(
            "Call the contact, introduce yourself, and read out the notice below. "
            "Confirm they understood, note any question, and record the outcome.\n\n%(body)s"
        )
    ) % {"body": body}
