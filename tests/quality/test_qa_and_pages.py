"""QA scorecards, calibration, root causes, the dashboard and its exports, the API;
who may see and do what."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefu.cases.models import Case, Commitment
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.models import User
from kefu.quality import services
from kefu.quality.models import QaScore, RootCauseAnalysis
from kefu.quality.services.scoring import rubric, weighted_total
from tests.cases.builders import at
from tests.quality.conftest import resolved_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
ALL_FIVE = {
    "listening": 5,
    "empathy": 4,
    "clarity": 4,
    "positive_language": 3,
    "commitments_kept": 5,
    "resolution": 4,
}


def test_weighted_total_worked_example() -> None:
    # Weights 15, 20, 15, 15, 15, 20 (sum 100): 15·5 + 20·4 + 15·4 + 15·3 + 15·5 + 20·4
    # = 75 + 80 + 60 + 45 + 75 + 80 = 415 → 415 / 100 / 5 × 100 = 83.
    assert weighted_total(ALL_FIVE, rubric()) == pytest.approx(83.0)


def test_inspector_scores_a_case_and_the_agent_sees_it(
    desk_agent: User, inspector: User, client_for: ClientFor
) -> None:
    case = resolved_case(desk_agent)
    Commitment.objects.create(
        case=case,
        what="明天上门",
        owner=desk_agent,
        due_at=at("2026-11-17 10:00"),
        created_at=at("2026-11-16 10:00"),
        status=Commitment.Status.KEPT,
    )
    client = client_for(inspector)
    page = client.get(reverse("quality:qa_case", args=[case.pk]))
    assert page.status_code == 200
    # Commitments kept pre-scored from the commitments: 1 kept of 1 → 5, preselected.
    assert re.search(r'value="5" id="id_c_commitments_kept_4"[^>]*checked', page.content.decode())
    data = {f"c_{code}": str(value) for code, value in ALL_FIVE.items()}
    data["feedback"] = "道歉及时；结束前复述下一步。"
    response = client.post(reverse("quality:qa_case", args=[case.pk]), data)
    assert response.status_code == 302
    score = QaScore.objects.get(case=case)
    assert score.agent == desk_agent
    assert score.total == pytest.approx(83.0)
    assert score.items.get(criterion__code="commitments_kept").pre_score == 5
    mine = client_for(desk_agent).get(reverse("quality:qa_mine"))
    assert "复述下一步" in mine.content.decode()
    assert case.reference in mine.content.decode()


def test_agent_may_not_score(desk_agent: User, client_for: ClientFor) -> None:
    case = resolved_case(desk_agent)
    client = client_for(desk_agent)
    data = {f"c_{code}": "5" for code in ALL_FIVE}
    assert client.get(reverse("quality:qa_case", args=[case.pk])).status_code == 403
    assert client.post(reverse("quality:qa_case", args=[case.pk]), data).status_code == 403
    assert not QaScore.objects.exists()
    with pytest.raises(PermissionDeniedError):
        services.qa_score_case(
            actor=desk_agent, case=case, values=ALL_FIVE, feedback="", at=timezone.now()
        )


def test_scores_must_cover_every_criterion_in_range(desk_agent: User, inspector: User) -> None:
    case = resolved_case(desk_agent)
    with pytest.raises(DomainError) as missing:
        services.qa_score_case(
            actor=inspector, case=case, values={"listening": 5}, feedback="", at=timezone.now()
        )
    assert missing.value.code == "missing_criterion"
    with pytest.raises(DomainError):
        services.qa_score_case(
            actor=inspector,
            case=case,
            values={**ALL_FIVE, "clarity": 6},
            feedback="",
            at=timezone.now(),
        )
    assert not QaScore.objects.exists()


def test_calibration_compares_inspectors(
    desk_agent: User, inspector: User, desk_manager: User, client_for: ClientFor
) -> None:
    case = resolved_case(desk_agent)
    session = services.qa_calibration_open(
        actor=inspector, case=case, title="11月校准", at=timezone.now()
    )
    services.qa_score_case(
        actor=inspector,
        case=case,
        values=ALL_FIVE,
        feedback="",
        at=timezone.now(),
        calibration=session,
    )
    services.qa_score_case(
        actor=desk_manager,
        case=case,
        values={**ALL_FIVE, "empathy": 2},
        feedback="",
        at=timezone.now(),
        calibration=session,
    )
    with pytest.raises(DomainError) as twice:
        services.qa_score_case(
            actor=inspector,
            case=case,
            values=ALL_FIVE,
            feedback="",
            at=timezone.now(),
            calibration=session,
        )
    assert twice.value.code == "already_scored_in_calibration"
    page = client_for(inspector).get(reverse("quality:calibration", args=[session.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # Empathy 4 and 2: spread 2, flagged.
    assert 'class="spread-high">2<' in html
    assert (
        client_for(desk_agent).get(reverse("quality:calibration", args=[session.pk])).status_code
        == 403
    )


def test_root_cause_record_with_fishbone_and_pareto(
    desk_agent: User, desk_lead: User, client_for: ClientFor
) -> None:
    case = resolved_case(desk_agent)
    client = client_for(desk_lead)
    response = client.post(
        reverse("quality:root_causes"),
        {
            "problem": "卫生间渗水反复投诉",
            "cases": case.reference,
            "cause_method": "缺少闭水试验\n验收只看表面",
            "cause_people": "新工人未培训",
            "why_1": "楼下渗水",
            "why_2": "防水层破损",
        },
    )
    assert response.status_code == 302
    analysis = RootCauseAnalysis.objects.get()
    assert list(analysis.cases.all()) == [case]
    assert analysis.causes.count() == 3
    assert [w.answer for w in analysis.whys.all()] == ["楼下渗水", "防水层破损"]
    page = client.get(reverse("quality:root_cause", args=[analysis.pk]))
    assert "<svg" in page.content.decode()
    assert "缺少闭水试验" in page.content.decode()
    pareto = client.get(reverse("quality:pareto"))
    assert pareto.status_code == 200
    assert "新工人未培训" in pareto.content.decode()
    assert client_for(desk_agent).get(reverse("quality:root_causes")).status_code == 403


def test_root_cause_refuses_an_unknown_incident(desk_lead: User) -> None:
    with pytest.raises(DomainError) as refused:
        services.root_cause_record(
            actor=desk_lead,
            problem="停工通知不及时",
            causes=[],
            whys=[],
            incident_id=99999,
            at=timezone.now(),
        )
    assert refused.value.code == "unknown_incident"
    assert not RootCauseAnalysis.objects.exists()


def test_insights_dashboard_charts_and_exports(
    desk_agent: User, desk_manager: User, client_for: ClientFor, cjk_font: None
) -> None:
    resolved_case(desk_agent, when="2026-11-16 10:00")
    client = client_for(desk_manager)
    page = client.get(reverse("quality:insights") + "?days=90")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="img"') >= 4
    csv = client.get(reverse("quality:insights_csv"))
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    pdf = client.get(reverse("quality:insights_pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert client_for(desk_agent).get(reverse("quality:insights")).status_code == 403


def test_pdf_without_a_font_says_what_to_install(
    desk_manager: User, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kefu.quality import exports

    monkeypatch.setattr(exports, "FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    monkeypatch.delenv("KEFU_PDF_FONT", raising=False)
    response = client_for(desk_manager).get(reverse("quality:insights_pdf"))
    assert response.status_code == 400
    assert "fonts-wqy-microhei" in response.content.decode()


def test_servqual_and_kano_pages(desk_lead: User, client_for: ClientFor) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(desk_lead)
    rows = "respondent,item,expectation,perception\n" + "".join(
        f"r1,{i},6,5\n" for i in range(1, 23)
    )
    page = client.post(
        reverse("quality:servqual"), {"file": SimpleUploadedFile("a.csv", rows.encode())}
    )
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    bad = client.post(
        reverse("quality:kano"),
        {
            "file": SimpleUploadedFile(
                "k.csv", b"respondent,feature,functional,dysfunctional\nr1,a,x,like\n"
            )
        },
    )
    assert bad.status_code == 422
    assert "第 2 行" in bad.content.decode()
    good = client.post(
        reverse("quality:kano"),
        {
            "file": SimpleUploadedFile(
                "k.csv",
                "respondent,feature,functional,dysfunctional\nr1,回访,喜欢,不喜欢\n".encode(),
            )
        },
    )
    assert "<svg" in good.content.decode()


@pytest.mark.parametrize(
    ("role_fixture", "status"), [("desk_agent", 403), ("desk_lead", 200), ("desk_manager", 200)]
)
def test_api_insights_permissions(
    role_fixture: str,
    status: int,
    request: pytest.FixtureRequest,
    bearer_for: Callable[[User], dict[str, str]],
) -> None:
    user = request.getfixturevalue(role_fixture)
    response = Client().get("/api/v1/quality/insights?days=7", headers=bearer_for(user))
    assert response.status_code == status
    if status == 200:
        assert "service_level" in response.json()


def test_api_scores_a_case(
    desk_agent: User, inspector: User, bearer_for: Callable[[User], dict[str, str]]
) -> None:
    case = resolved_case(desk_agent)
    response = Client().post(
        f"/api/v1/quality/cases/{case.pk}/qa-scores",
        {"scores": ALL_FIVE, "feedback": "好"},
        content_type="application/json",
        headers=bearer_for(inspector),
    )
    assert response.status_code == 201
    assert response.json()["total"] == pytest.approx(83.0)
    mine = Client().get("/api/v1/quality/qa-scores/mine", headers=bearer_for(desk_agent))
    assert [s["case_id"] for s in mine.json()] == [case.pk]
    refused = Client().post(
        f"/api/v1/quality/cases/{case.pk}/qa-scores",
        {"scores": ALL_FIVE},
        content_type="application/json",
        headers=bearer_for(desk_agent),
    )
    assert refused.status_code == 403


def test_hub_page_for_each_role(desk_agent: User, desk_lead: User, client_for: ClientFor) -> None:
    assert client_for(desk_agent).get(reverse("quality:index")).status_code == 200
    assert client_for(desk_lead).get(reverse("quality:index")).status_code == 200
    assert Client().get(reverse("quality:index")).status_code == 302
    assert Case.objects.count() == 0
