"""The dashboard as CSV and as PDF (fpdf2 with a CJK font)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from django.utils.translation import gettext as _

from kefu.core import csv_safe
from kefu.core.errors import DomainError
from kefu.quality.errors import QualityErrorCode
from kefu.quality.metrics import Insights

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def rows(figures: Insights) -> list[tuple[str, str]]:
    """(label, value) pairs in the active language, shared by CSV and PDF."""
    lines = [
        (_("Period start"), figures.start.isoformat()),
        (_("Period end"), figures.end.isoformat()),
        (_("Cases opened"), str(figures.cases)),
        (_("Service level (%)"), _pct(figures.service_level)),
        (_("Answer rate (%)"), _pct(figures.answer_rate)),
        (_("Inbound calls"), str(figures.calls)),
        (_("Median first response (minutes)"), _num(figures.first_response_minutes)),
        (_("Median resolution (hours)"), _num(figures.resolution_hours)),
        (_("Backlog (open now)"), str(figures.backlog)),
        (_("Escalations"), str(figures.escalations)),
        (_("Escalated over heads"), str(figures.over_heads)),
        (_("Commitments kept (%)"), _pct(figures.commitments_kept)),
        (_("CSAT mean (1-5)"), _num(figures.csat_mean)),
        (_("CSAT satisfied, 4-5 (%)"), _pct(figures.csat_satisfied)),
        (_("CSAT answers"), str(figures.csat_responses)),
        (_("Surveys sent"), str(figures.csat_sent)),
        (_("NPS"), _num(figures.nps)),
    ]
    lines.extend(
        (_("Incidents: %(figure)s") % {"figure": key}, _num(value))
        for key, value in figures.incidents.items()
    )
    lines.extend(
        (
            _("Complaint rate (%%): %(line)s") % {"line": line.line or "—"},
            f"{line.rate * 100:.1f} ({line.complaints}/{line.cases})",
        )
        for line in figures.complaint_rates
    )
    return lines


def to_csv(figures: Insights) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Figure"), _("Value")])
    # Business-line names are typed by people: defuse formulas (figures stay numbers).
    writer.writerows(csv_safe.guard_row(row, keep_numbers=True) for row in rows(figures))
    return "\ufeff" + out.getvalue()


def font_path() -> Path:
    """The CJK font for PDFs (``KEFU_PDF_FONT`` or WenQuanYi Micro Hei)."""
    configured = os.environ.get("KEFU_PDF_FONT")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if Path(candidate).is_file():
            return Path(candidate)
    raise DomainError(
        QualityErrorCode.PDF_FONT_MISSING,
        _(
            "No Chinese font for the PDF: install fonts-wqy-microhei "
            "(apt-get install fonts-wqy-microhei) or set KEFU_PDF_FONT to a .ttf/.ttc file."
        ),
    )


def to_pdf(figures: Insights, *, title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font_path()))
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for label, value in rows(figures):
        pdf.cell(110, 7, label, border="B")
        # Nothing measured reads "—" on paper (the CSV leaves the cell empty).
        pdf.cell(0, 7, value or "—", border="B", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
