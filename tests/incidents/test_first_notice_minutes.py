"""The first-notice median reads as minutes on the incident pages, not seconds."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from kefu.incidents.templatetags.incident_format import as_minutes


def test_the_first_notice_median_reads_as_whole_minutes_in_english() -> None:
    with translation.override("en"):
        assert as_minutes(720) == "12 min"
        assert as_minutes(749.6) == "12 min"
        assert as_minutes(45) == "< 1 min"
        assert as_minutes(None) == "–"


def test_the_incident_templates_show_the_median_through_the_minutes_filter() -> None:
    template = Template(
        "{% load incident_format %}{{ measures.first_notice_seconds.median|as_minutes }}"
    )
    context = Context({"measures": {"first_notice_seconds": {"median": 1500.0}}})
    with translation.override("en"):
        assert template.render(context) == "25 min"
