"""Demo data for the quality app: answered surveys, a few scorecards, a fishbone.

``demo_load`` is called by the demo command after the desk's history is in;
it is deterministic, writes in bulk and does nothing the second time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.quality.demo_campaigns import campaigns_load
from kefu.quality.models import (
    Cause,
    CsatSurvey,
    QaCriterion,
    QaScore,
    QaScoreItem,
    RootCauseAnalysis,
    SurveyCursor,
    WhyStep,
)
from kefu.quality.services.scoring import qa_scored_agent, weighted_total
from kefu.quality.services.surveys import LINK_LIFETIME

SEED = 6
COMMENTS = (
    "师傅很专业，问题当天就解决了。",
    "回复有点慢，但最后处理得不错。",
    "希望以后能提前通知上门时间。",
    "",
    "",
)
LOW_COMMENTS = ("等了三天才有人回复，很失望。", "问题没有真正解决，又漏水了。")


@transaction.atomic
def demo_load(*, at: datetime) -> None:
    """Load the quality demo (fast: a few bulk inserts); a second call does nothing."""
    campaigns_load(at=at)
    if CsatSurvey.objects.exists() or RootCauseAnalysis.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    # Surveys start from now on: the clock job must not survey the whole history.
    SurveyCursor.objects.update_or_create(name="csat", defaults={"resolved_until": at})
    resolved = list(
        Case.objects.filter(resolved_at__isnull=False, resolved_at__lte=at)
        .select_related("contact")
        .order_by("resolved_at", "pk")
    )
    surveys = []
    for case in resolved:
        assert case.resolved_at is not None  # noqa: S101
        sent = case.resolved_at + timedelta(minutes=10)
        answered = rng.random() < 0.45 and sent + timedelta(hours=2) <= at
        csat = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 13, 8, 4])[0] if answered else None
        surveys.append(
            CsatSurvey(
                case=case,
                contact=case.contact,
                language=case.contact.language,
                sent_at=sent,
                expires_at=sent + LINK_LIFETIME,
                answered_at=sent + timedelta(hours=rng.randint(2, 30)) if answered else None,
                csat=csat,
                nps=(min(10, max(0, csat * 2 + rng.randint(-1, 1))) if csat else None),
                comment=(rng.choice(LOW_COMMENTS) if csat and csat <= 2 else rng.choice(COMMENTS))
                if answered
                else "",
            )
        )
    CsatSurvey.objects.bulk_create(surveys)
    _scorecards(resolved, rng, at)
    _fishbone(resolved, at)


def _scorecards(resolved: list[Case], rng: random.Random, at: datetime) -> None:
    inspector = User.objects.filter(role=Role.QA_INSPECTOR, is_active=True).order_by("pk").first()
    criteria = list(QaCriterion.objects.filter(is_active=True))
    if inspector is None or not criteria:
        return
    for case in [c for c in resolved if c.owner_id][-6:]:
        values = {c.code: rng.randint(3, 5) for c in criteria}
        score = QaScore.objects.create(
            case=case,
            agent=qa_scored_agent(case),
            inspector=inspector,
            total=weighted_total(values, criteria),
            feedback="开场问候和确认需求做得好；结束前请复述下一步和时间。",
            created_at=at - timedelta(days=rng.randint(1, 10)),
        )
        QaScoreItem.objects.bulk_create(
            QaScoreItem(score=score, criterion=c, value=values[c.code]) for c in criteria
        )


def _fishbone(resolved: list[Case], at: datetime) -> None:
    leaks = [c for c in resolved if "水" in c.subject][:3] or resolved[:3]
    analysis = RootCauseAnalysis.objects.create(
        problem="卫生间渗水反复投诉",
        conclusion="防水施工增加闭水试验验收；上门前电话确认时间。",
        created_at=at - timedelta(days=3),
    )
    analysis.cases.set(leaks)
    Cause.objects.bulk_create(
        Cause(analysis=analysis, category=category, text=text)
        for category, text in [
            ("people", "新工人未培训防水工艺"),
            ("method", "缺少闭水试验步骤"),
            ("material", "防水涂料批次问题"),
            ("measurement", "验收只看表面"),
            ("customer", "入住前未告知养护要求"),
            ("environment", "梅雨季潮湿"),
        ]
    )
    WhyStep.objects.bulk_create(
        WhyStep(analysis=analysis, position=n, answer=text)
        for n, text in enumerate(
            [
                "楼下天花板渗水",
                "卫生间防水层破损",
                "施工时没有做闭水试验",
                "施工规范里没有这一步",
                "规范多年未更新",
            ],
            start=1,
        )
    )
