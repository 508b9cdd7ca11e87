"""Demo survey campaigns: one answered SERVQUAL and one KANO, ~15 respondents each.

Written in bulk (a handful of inserts); does nothing when a campaign exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from kefu.customers.models import Contact
from kefu.quality import servqual
from kefu.quality.models_campaigns import (
    CampaignAnswer,
    CampaignFeature,
    CampaignInvitation,
    CampaignWeight,
    SurveyCampaign,
)

RESPONDENTS = 15
FEATURES = (
    ("self-booking", "自助预约上门时间", "booking the visit time online yourself"),
    ("arrival-sms", "师傅出发时短信通知", "a text message when the technician sets off"),
    ("photo-report", "完工后发送照片报告", "a photo report when the work is done"),
    ("same-day", "当天上门维修", "a same-day repair visit"),
)
# Per feature, the (functional, dysfunctional) answers respondents lean to.
LEANINGS = {
    "self-booking": [(1, 3), (1, 4), (3, 3)],
    "arrival-sms": [(1, 5), (2, 5), (1, 5)],
    "photo-report": [(3, 3), (1, 3), (4, 3)],
    "same-day": [(2, 5), (3, 5), (1, 5)],
}


def campaigns_load(*, at: datetime) -> None:
    if SurveyCampaign.objects.exists():
        return
    rng = random.Random(66)  # noqa: S311  (demo data)
    contacts = list(
        Contact.objects.filter(is_active=True).exclude(email="").order_by("pk")[: RESPONDENTS + 5]
    )
    if not contacts:
        return
    started = at - timedelta(days=10)
    sq = SurveyCampaign.objects.create(
        kind=SurveyCampaign.Kind.SERVQUAL,
        name="2026 年度服务质量 SERVQUAL",
        status=SurveyCampaign.Status.OPEN,
        created_at=started,
        closes_at=at + timedelta(days=20),
    )
    kn = SurveyCampaign.objects.create(
        kind=SurveyCampaign.Kind.KANO,
        name="新服务功能 KANO 调研",
        status=SurveyCampaign.Status.OPEN,
        created_at=started,
        closes_at=at + timedelta(days=20),
    )
    features = CampaignFeature.objects.bulk_create(
        CampaignFeature(
            campaign=kn,
            position=n,
            name=name,
            functional_zh=f"如果我们提供{zh}，您觉得如何？",
            functional_en=f"If we offered {en}, how would you feel?",
            dysfunctional_zh=f"如果我们不提供{zh}，您觉得如何？",
            dysfunctional_en=f"If we did not offer {en}, how would you feel?",
        )
        for n, (name, zh, en) in enumerate(FEATURES)
    )
    invitations = CampaignInvitation.objects.bulk_create(
        CampaignInvitation(
            campaign=campaign,
            contact=contact,
            language=contact.language,
            channel="email",
            sent_at=started + timedelta(minutes=5),
            answered_at=started + timedelta(hours=rng.randint(2, 120)) if n < RESPONDENTS else None,
        )
        for campaign in (sq, kn)
        for n, contact in enumerate(contacts)
    )
    answered = [i for i in invitations if i.answered_at is not None]
    answers: list[CampaignAnswer] = []
    weights: list[CampaignWeight] = []
    for invitation in answered:
        if invitation.campaign_id == sq.pk:
            for item in servqual.ITEMS:
                expectation = rng.randint(5, 7)
                # Responsiveness (10-13) falls shortest, tangibles least.
                shortfall = 2 if item in range(10, 14) else 1 if item > 4 else 0
                perception = max(1, min(7, expectation - shortfall + rng.randint(-1, 1)))
                answers.append(
                    CampaignAnswer(
                        invitation=invitation,
                        item=item,
                        expectation=expectation,
                        perception=perception,
                    )
                )
            points = rng.choice([(10, 30, 25, 20, 15), (15, 25, 30, 15, 15), (20, 20, 20, 20, 20)])
            weights += [
                CampaignWeight(invitation=invitation, dimension=d.value, points=p)
                for d, p in zip(servqual.Dimension, points, strict=True)
            ]
        else:
            for feature in features:
                functional, dysfunctional = rng.choice(LEANINGS[feature.name])
                answers.append(
                    CampaignAnswer(
                        invitation=invitation,
                        feature=feature,
                        functional=functional,
                        dysfunctional=dysfunctional,
                    )
                )
    CampaignAnswer.objects.bulk_create(answers, batch_size=500)
    CampaignWeight.objects.bulk_create(weights)
