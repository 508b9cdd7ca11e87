"""The review (复盘) built from the record, and its Markdown and PDF exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core.errors import DomainError
from kefu.incidents import rhythm
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Incident, Notice, Review, ReviewAction, SurveyAnswer
from kefu.incidents.selectors import Measures, incident_measures, linked_cases

CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    text: str


@dataclass(frozen=True)
class ReviewReport:
    incident: Incident
    review: Review | None
    timeline: list[TimelineLine]
    measures: Measures
    late_updates: list[Notice]
    cases: list[Case]
    answers: list[SurveyAnswer]
    actions: list[ReviewAction]

    @property
    def average_rating(self) -> float | None:
        if not self.answers:
            return None
        return sum(a.rating for a in self.answers) / len(self.answers)


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def review_report(incident: Incident, *, now: datetime) -> ReviewReport:
    """Everything the review shows: the timeline, the shortfalls, the feedback, the actions."""
    notices = list(
        Notice.objects.filter(incident=incident).exclude(sent_at=None).order_by("sent_at", "id")
    )
    timeline = [TimelineLine(incident.started_at, gettext("Work stopped"))]
    if incident.confirmed_at:
        timeline.append(TimelineLine(incident.confirmed_at, gettext("Incident confirmed")))
    english = translation.get_language() == "en"
    timeline += [
        TimelineLine(
            n.sent_at, f"{n.get_kind_display()}: {n.subject_en if english else n.subject_zh}"
        )
        for n in notices
        if n.sent_at is not None
    ]
    meeting = gettext("Meeting")
    timeline += [
        TimelineLine(m.starts_at, f"{meeting}: {m.title}") for m in incident.meetings.all()
    ]
    cases = linked_cases(incident)
    case_word = gettext("Case")
    timeline += [
        TimelineLine(c.created_at, f"{case_word} {c.reference}: {c.subject}") for c in cases
    ]
    if incident.resumed_at:
        timeline.append(TimelineLine(incident.resumed_at, gettext("Resumption notice sent")))
    timeline.sort(key=lambda line: line.at)
    late = [
        n
        for n in notices
        if n.kind == Notice.Kind.UPDATE
        and n.due_at is not None
        and n.sent_at is not None
        and n.sent_at > n.due_at + rhythm.UPDATE_GRACE
    ]
    return ReviewReport(
        incident=incident,
        review=Review.objects.filter(incident=incident).first(),
        timeline=timeline,
        measures=incident_measures(incident, now=now),
        late_updates=late,
        cases=cases,
        answers=list(SurveyAnswer.objects.filter(incident=incident).select_related("contact")),
        actions=list(ReviewAction.objects.filter(incident=incident).select_related("owner")),
    )


def _item(label: str, value: object) -> str:
    return f"- {label}: {value}"


def _heading(text: str) -> list[str]:
    return [f"## {text}", ""]


def review_markdown(report: ReviewReport) -> str:
    """The review as Markdown, in the active language.

    Labels are translated outside the f-strings that lay them out, so that
    makemessages extracts every one of them.
    """
    incident = report.incident
    m = report.measures
    title = gettext("Review %(reference)s %(title)s") % {
        "reference": incident.reference,
        "title": incident.title,
    }
    lines = [
        f"# {title}",
        "",
        _item(gettext("Kind"), incident.get_kind_display()),
        _item(gettext("Cause"), incident.cause),
        _item(gettext("Started"), _local(incident.started_at)),
        _item(gettext("Resumed on"), incident.resumed_on or "-"),
        "",
        *_heading(gettext("Timeline")),
        *[f"- {_local(line.at)} {line.text}" for line in report.timeline],
        "",
        *_heading(gettext("Five whys")),
        *[
            f"{i}. {why}"
            for i, why in enumerate(report.review.five_whys if report.review else [], start=1)
        ],
        "",
        *_heading(gettext("Communication shortfalls")),
        _item(gettext("Late updates"), len(report.late_updates)),
        _item(gettext("Missed updates"), m.adherence.missed),
        _item(gettext("Unreached contacts"), m.affected - m.reached),
        *[f"  - {c.name}" for c in m.unreached],
        _item(gettext("Cases during the incident"), len(report.cases)),
        *[f"  - {c.reference} {c.subject}" for c in report.cases],
        "",
        *_heading(gettext("Measures")),
        _item(gettext("Reach rate"), _percent(m.reach_rate)),
        _item(gettext("First notice, median seconds"), _number(m.first_notice_seconds.median)),
        _item(gettext("Update rhythm adherence"), _percent(m.adherence.rate)),
        "",
        *_heading(gettext("Client feedback")),
        gettext("- Answers: %(count)s, average rating: %(rating)s")
        % {"count": len(report.answers), "rating": _number(report.average_rating)},
        *[f"  - {a.contact.name}: {a.rating}/5 {a.comment}" for a in report.answers],
        "",
        *_heading(gettext("Early-warning actions")),
        *[f"- {a.description} ({a.owner}, {a.due_on:%Y-%m-%d})" for a in report.actions],
        "",
    ]
    if report.review and report.review.summary:
        lines += [*_heading(gettext("Summary")), report.review.summary, ""]
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def cjk_font() -> Path | None:
    return next((path for path in CJK_FONTS if path.exists()), None)


def review_pdf(report: ReviewReport) -> bytes:
    """The Markdown review laid out as a PDF with a Chinese font (WenQuanYi Micro Hei)."""
    from fpdf import FPDF

    font = cjk_font()
    if font is None:
        raise DomainError(
            IncidentErrorCode.NO_FONT,
            _(
                "No Chinese font is installed (install fonts-wqy-microhei); "
                "export Markdown instead."
            ),
        )
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in review_markdown(report).splitlines():
        if line.startswith("# "):
            pdf.set_font("cjk", size=16)
            pdf.multi_cell(width, 9, line[2:], new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("## "):
            pdf.ln(2)
            pdf.set_font("cjk", size=13)
            pdf.multi_cell(width, 8, line[3:], new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("cjk", size=10)
            pdf.multi_cell(width, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
