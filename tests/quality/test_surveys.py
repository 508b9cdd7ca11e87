"""CSAT surveys: sent once per resolved case by the clock job, answered once through a
signed link; expired, forged and used links record nothing; a low score opens a
follow-up case for the owner's lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from kefu.cases.models import Case, Message
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.core.models import Notification, ScheduledJob, User
from kefu.quality import services
from kefu.quality.models import CsatSurvey, SurveyCursor
from kefu.quality.services import LinkState
from tests.cases.builders import at
from tests.quality.conftest import resolved_case

pytestmark = pytest.mark.django_db


def _send(now: str) -> list[CsatSurvey]:
    return services.surveys_send_due(at=at(now))


def test_first_run_sets_the_watermark_and_surveys_nothing_old(desk_agent: User) -> None:
    resolved_case(desk_agent, when="2026-11-16 10:00")
    assert _send("2026-11-16 12:00") == []
    assert SurveyCursor.objects.get(name="csat").resolved_until == at("2026-11-16 12:00")
    assert not CsatSurvey.objects.exists()


def test_resolved_case_gets_one_survey_on_its_channel_never_twice(
    desk_agent: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _send("2026-11-16 09:00")
    case = resolved_case(desk_agent, when="2026-11-16 10:00")
    sent = _send("2026-11-16 12:00")
    assert [s.case_id for s in sent] == [case.pk]
    notice = Message.objects.filter(case=case, direction="out").order_by("-pk").first()
    assert notice is not None
    assert "/quality/s/" in notice.body
    assert case.reference in notice.body
    # A later run, even one reading back over the same hour, sends nothing again.
    assert _send("2026-11-16 12:10") == []
    assert _send("2026-11-16 12:20") == []
    assert CsatSurvey.objects.filter(case=case).count() == 1


def test_the_clock_job_runs_the_send(desk_agent: User) -> None:
    clock.ensure_recurring(now=at("2026-11-16 09:00"))
    clock.tick(now=at("2026-11-16 09:00"))
    case = resolved_case(desk_agent, when="2026-11-16 10:00")
    job = ScheduledJob.objects.get(key="quality.csat_send")
    assert job.repeat_seconds == 600
    clock.tick(now=at("2026-11-16 12:00"))
    assert CsatSurvey.objects.filter(case=case).exists()


def test_survey_in_the_contacts_language(desk_agent: User) -> None:
    _send("2026-11-16 09:00")
    case = resolved_case(desk_agent, language="en")
    (survey,) = _send("2026-11-16 12:00")
    assert survey.language == "en"
    notice = Message.objects.filter(case=case, direction="out").order_by("-pk").first()
    assert notice is not None
    assert notice.body.startswith("Thank you for contacting us about")


@pytest.fixture
def survey(desk_agent: User) -> CsatSurvey:
    _send("2026-11-16 09:00")
    resolved_case(desk_agent)
    (sent,) = _send("2026-11-16 12:00")
    return sent


def test_answer_once(survey: CsatSurvey) -> None:
    token = services.survey_token(survey)
    answered = services.survey_answer(
        token=token, csat=4, nps=9, comment=" 很好 ", at=at("2026-11-17 09:00")
    )
    assert (answered.csat, answered.nps, answered.comment) == (4, 9, "很好")
    assert answered.follow_up_case is None
    with pytest.raises(DomainError) as refused:
        services.survey_answer(token=token, csat=1, nps=None, comment="", at=at("2026-11-17 10:00"))
    assert refused.value.code == "survey_already_answered"
    survey.refresh_from_db()
    assert survey.csat == 4


def test_expired_and_forged_links_record_nothing(survey: CsatSurvey) -> None:
    token = services.survey_token(survey)
    late = survey.expires_at + timedelta(seconds=1)
    assert services.survey_for_token(token, at=late)[0] == LinkState.EXPIRED
    with pytest.raises(DomainError):
        services.survey_answer(token=token, csat=5, nps=None, comment="", at=late)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert services.survey_for_token(forged, at=at("2026-11-17 09:00"))[0] == LinkState.FORGED
    other = signing.TimestampSigner(salt="another").sign(str(survey.pk))
    assert services.survey_for_token(other, at=at("2026-11-17 09:00"))[0] == LinkState.FORGED
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert survey.csat is None


def test_low_score_opens_a_follow_up_case_for_the_owners_lead(
    survey: CsatSurvey, desk_lead: User
) -> None:
    answered = services.survey_answer(
        token=services.survey_token(survey),
        csat=2,
        nps=3,
        comment="等了三天才有人回复。",
        at=at("2026-11-17 09:00"),
    )
    follow = answered.follow_up_case
    assert follow is not None
    assert follow.owner == desk_lead
    assert follow.priority == Case.Priority.HIGH
    assert survey.case.reference in follow.subject
    assert follow.messages.get().body == "等了三天才有人回复。"
    notice = Notification.objects.get(recipient=desk_lead)
    assert notice.link == reverse("cases:case", args=[follow.pk])


def test_out_of_range_scores_are_refused(survey: CsatSurvey) -> None:
    token = services.survey_token(survey)
    for csat, nps in ((0, None), (6, None), (3, 11)):
        with pytest.raises(DomainError):
            services.survey_answer(
                token=token, csat=csat, nps=nps, comment="", at=at("2026-11-17 09:00")
            )
    survey.refresh_from_db()
    assert survey.answered_at is None


@time_machine.travel(at("2026-11-16 13:00"), tick=False)
def test_public_page_answer_and_polite_refusals(survey: CsatSurvey) -> None:
    # The page checks the link's expiry (sent 2026-11-16 12:00) against the clock.
    client = Client()
    url = reverse("quality:survey", args=[services.survey_token(survey)])
    page = client.get(url)
    assert page.status_code == 200
    # The contact's language by default (zh-hans here), switchable with ?lang=.
    assert '<html lang="zh-hans">' in page.content.decode()
    assert 'data-testid="survey-form"' in page.content.decode()
    english = client.get(url + "?lang=en")
    assert '<html lang="en">' in english.content.decode()
    assert "How did we do?" in english.content.decode()
    bad = client.post(url, {"csat": "9"})
    assert bad.status_code == 422
    survey.refresh_from_db()
    assert survey.answered_at is None
    done = client.post(url, {"csat": "5", "nps": "10", "comment": "谢谢"})
    assert done.status_code == 200
    survey.refresh_from_db()
    assert (survey.csat, survey.nps) == (5, 10)
    again = client.post(url, {"csat": "1"})
    assert again.status_code == 409
    survey.refresh_from_db()
    assert survey.csat == 5
    forged = client.get(reverse("quality:survey", args=["12:abc:def"]))
    assert forged.status_code == 404
    assert 'data-testid="survey-form"' not in forged.content.decode()


def test_expired_page_is_polite(survey: CsatSurvey) -> None:
    CsatSurvey.objects.filter(pk=survey.pk).update(expires_at=at("2026-01-01 00:00"))
    client = Client()
    url = reverse("quality:survey", args=[services.survey_token(survey)])
    response = client.post(url, {"csat": "5"})
    assert response.status_code == 410
    survey.refresh_from_db()
    assert survey.answered_at is None
