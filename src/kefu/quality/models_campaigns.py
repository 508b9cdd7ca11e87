"""SERVQUAL and KANO survey campaigns answered by customers through a signed link.

A campaign invites contacts; each invitation is one signed link, answered once.
SERVQUAL answers are one row per item (expectation, perception) plus one weight
row per dimension (the respondent's 100 importance points); KANO answers are one
row per feature (functional, dysfunctional, 1-5 in the order like, must-be,
neutral, live-with, dislike).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyCampaign(models.Model):
    class Kind(models.TextChoices):
        SERVQUAL = "servqual", "SERVQUAL"
        KANO = "kano", "KANO"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    # The SERVQUAL wording to use ("" = the default wording).
    business = models.CharField(_("business"), max_length=100, blank=True, default="")
    # 1988: items 10-13 and 18-22 are negatively worded and reverse-scored.
    instrument = models.PositiveSmallIntegerField(_("instrument"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CampaignFeature(models.Model):
    """One KANO feature: its name (the analysis key) and both questions in both languages."""

    campaign = models.ForeignKey(
        SurveyCampaign,
        on_delete=models.CASCADE,
        related_name="features",
        verbose_name=_("campaign"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("feature"), max_length=100)
    functional_zh = models.CharField(_("functional question (Chinese)"), max_length=300)
    functional_en = models.CharField(_("functional question (English)"), max_length=300)
    dysfunctional_zh = models.CharField(_("dysfunctional question (Chinese)"), max_length=300)
    dysfunctional_en = models.CharField(_("dysfunctional question (English)"), max_length=300)

    class Meta:
        verbose_name = _("KANO feature")
        verbose_name_plural = _("KANO features")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="campaign_feature_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignInvitation(models.Model):
    """One contact's invitation: sent once (``sent_at`` set before it is handed over),
    answered once (``answered_at``, compare-and-swap)."""

    campaign = models.ForeignKey(
        SurveyCampaign,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("campaign"),
    )
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("campaign invitation")
        verbose_name_plural = _("campaign invitations")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contact"], name="campaign_invite_once"),
        ]
        indexes = [
            models.Index(
                fields=["campaign"],
                condition=models.Q(sent_at__isnull=True),
                name="campaign_invite_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.contact_id}"


class CampaignAnswer(models.Model):
    """One answer: a SERVQUAL item (E and P, 1-7) or a KANO feature (F and D, 1-5)."""

    invitation = models.ForeignKey(
        CampaignInvitation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("invitation"),
    )
    item = models.PositiveSmallIntegerField(_("item"), null=True, blank=True)
    feature = models.ForeignKey(
        CampaignFeature,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feature"),
    )
    expectation = models.PositiveSmallIntegerField(_("expectation"), null=True, blank=True)
    perception = models.PositiveSmallIntegerField(_("perception"), null=True, blank=True)
    functional = models.PositiveSmallIntegerField(_("functional"), null=True, blank=True)
    dysfunctional = models.PositiveSmallIntegerField(_("dysfunctional"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign answer")
        verbose_name_plural = _("campaign answers")
        ordering = ["invitation", "item", "feature"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    item__gte=1,
                    item__lte=22,
                    feature__isnull=True,
                    expectation__gte=1,
                    expectation__lte=7,
                    perception__gte=1,
                    perception__lte=7,
                )
                | models.Q(
                    item__isnull=True,
                    feature__isnull=False,
                    functional__gte=1,
                    functional__lte=5,
                    dysfunctional__gte=1,
                    dysfunctional__lte=5,
                ),
                name="campaign_answer_shape",
            ),
            models.UniqueConstraint(
                fields=["invitation", "item"],
                condition=models.Q(item__isnull=False),
                name="campaign_answer_item_once",
            ),
            models.UniqueConstraint(
                fields=["invitation", "feature"],
                condition=models.Q(feature__isnull=False),
                name="campaign_answer_feature_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.item or self.feature_id}"


class CampaignWeight(models.Model):
    """A SERVQUAL respondent's importance points on one dimension (the five sum to 100)."""

    invitation = models.ForeignKey(
        CampaignInvitation,
        on_delete=models.CASCADE,
        related_name="weights",
        verbose_name=_("invitation"),
    )
    dimension = models.CharField(_("dimension"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("importance points")
        verbose_name_plural = _("importance points")
        ordering = ["invitation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "dimension"], name="campaign_weight_once"
            ),
            models.CheckConstraint(
                condition=models.Q(points__lte=100), name="campaign_weight_points"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.dimension}={self.points}"
