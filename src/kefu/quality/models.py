"""Surveys (CSAT, SERVQUAL wording), QA scorecards, root causes and early-warning alarms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyCursor(models.Model):
    """How far the CSAT send job has read resolved cases (a watermark)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    resolved_until = models.DateTimeField(_("resolved until"))

    class Meta:
        verbose_name = _("survey cursor")
        verbose_name_plural = _("survey cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.resolved_until:%Y-%m-%d %H:%M}"


class CsatSurvey(models.Model):
    """One satisfaction survey per resolved case, answered once through a signed link."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="csat_survey", verbose_name=_("case")
    )
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("recommendation (0-10)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    follow_up_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up case"),
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(csat__isnull=True) | models.Q(csat__gte=1, csat__lte=5),
                name="csat_survey_csat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(nps__isnull=True) | models.Q(nps__lte=10),
                name="csat_survey_nps_range",
            ),
        ]

    def __str__(self) -> str:
        return f"CSAT {self.case_id}"


class ServqualItem(models.Model):
    """The wording of one of the 22 SERVQUAL statements, per business ("" = the default)."""

    class Dimension(models.TextChoices):
        TANGIBLES = "tangibles", _("Tangibles")
        RELIABILITY = "reliability", _("Reliability")
        RESPONSIVENESS = "responsiveness", _("Responsiveness")
        ASSURANCE = "assurance", _("Assurance")
        EMPATHY = "empathy", _("Empathy")

    business = models.CharField(_("business"), max_length=100, blank=True, default="")
    number = models.PositiveSmallIntegerField(_("item"))
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    text_zh = models.TextField(_("wording (Chinese)"))
    text_en = models.TextField(_("wording (English)"))

    class Meta:
        verbose_name = _("SERVQUAL item")
        verbose_name_plural = _("SERVQUAL items")
        ordering = ["business", "number"]
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="servqual_item_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=22), name="servqual_item_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text_en}"


class QaCriterion(models.Model):
    """One line of the QA rubric, weighted; administrators edit weights in the admin."""

    class Code(models.TextChoices):
        LISTENING = "listening", _("Listening")
        EMPATHY = "empathy", _("Empathy")
        CLARITY = "clarity", _("Clarity")
        POSITIVE_LANGUAGE = "positive_language", _("Positive language")
        COMMITMENTS_KEPT = "commitments_kept", _("Commitments kept")
        RESOLUTION = "resolution", _("Resolution")

    code = models.CharField(_("code"), max_length=30, choices=Code, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("QA criterion")
        verbose_name_plural = _("QA rubric")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class QaCalibration(models.Model):
    """A calibration session: several inspectors score the same case, then compare."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QaScore(models.Model):
    """An inspector's scorecard for one case (and its agent)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="qa_scores", verbose_name=_("case")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qa_scores",
        verbose_name=_("agent"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    calibration = models.ForeignKey(
        QaCalibration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("calibration session"),
    )
    total = models.FloatField(_("total (0-100)"))
    feedback = models.TextField(_("feedback"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("QA score")
        verbose_name_plural = _("QA scores")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agent", "created_at"], name="qa_score_agent")]
        constraints = [
            models.UniqueConstraint(
                fields=["calibration", "inspector"],
                condition=models.Q(calibration__isnull=False),
                name="qa_score_once_per_calibration",
            )
        ]

    def __str__(self) -> str:
        return f"QA {self.case_id} {self.total:.0f}"


class QaScoreItem(models.Model):
    score = models.ForeignKey(
        QaScore, on_delete=models.CASCADE, related_name="items", verbose_name=_("score")
    )
    criterion = models.ForeignKey(
        QaCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(_("score (1-5)"))
    pre_score = models.PositiveSmallIntegerField(_("automatic pre-score"), null=True, blank=True)

    class Meta:
        verbose_name = _("QA score line")
        verbose_name_plural = _("QA score lines")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="qa_score_item_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="qa_score_item_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.value}"


class RootCauseAnalysis(models.Model):
    """A fishbone (Ishikawa) record with its five-whys chain, for cases and incidents."""

    problem = models.CharField(_("problem"), max_length=200)
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="root_causes", verbose_name=_("cases")
    )
    # A reference, not a foreign key: the incidents app is optional here.
    incident_id = models.PositiveIntegerField(_("incident"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("root-cause analysis")
        verbose_name_plural = _("root-cause analyses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.problem


class Cause(models.Model):
    class Category(models.TextChoices):
        PEOPLE = "people", _("People")
        METHOD = "method", _("Method")
        MACHINE = "machine", _("Machine / system")
        MATERIAL = "material", _("Material")
        MEASUREMENT = "measurement", _("Measurement")
        ENVIRONMENT = "environment", _("Environment")
        CUSTOMER = "customer", _("Customer")

    analysis = models.ForeignKey(
        RootCauseAnalysis,
        on_delete=models.CASCADE,
        related_name="causes",
        verbose_name=_("analysis"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    text = models.CharField(_("cause"), max_length=200)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["analysis", "category", "pk"]

    def __str__(self) -> str:
        return self.text


class WhyStep(models.Model):
    """One answer in the five-whys chain, in order."""

    analysis = models.ForeignKey(
        RootCauseAnalysis, on_delete=models.CASCADE, related_name="whys", verbose_name=_("analysis")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    answer = models.CharField(_("because"), max_length=300)

    class Meta:
        verbose_name = _("why")
        verbose_name_plural = _("five whys")
        ordering = ["analysis", "position"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "position"], name="why_step_unique")
        ]

    def __str__(self) -> str:
        return self.answer


class WarningAlarm(models.Model):
    """An early-warning alarm on a complaint series; recorded once per series and period."""

    class Series(models.TextChoices):
        CATEGORY = "category", _("Category")
        BUSINESS_LINE = "business_line", _("Business line")
        REGION = "region", _("Region")

    class Period(models.TextChoices):
        DAY = "day", _("Day")
        WEEK = "week", _("Week")

    series = models.CharField(_("series"), max_length=20, choices=Series)
    key = models.CharField(_("value"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=10)
    period = models.CharField(_("period"), max_length=10, choices=Period)
    period_start = models.DateField(_("period start"))
    count = models.PositiveIntegerField(_("complaints"))
    baseline = models.FloatField(_("baseline mean"))
    statistic = models.FloatField(_("statistic"))
    limit = models.FloatField(_("limit"))
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("early-warning alarm")
        verbose_name_plural = _("early-warning alarms")
        ordering = ["-period_start", "series", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "key", "method", "period", "period_start"],
                name="warning_alarm_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}:{self.key} {self.period_start} {self.method}"


# The survey campaigns live in their own module; imported here so Django finds them.
from kefu.quality.models_campaigns import (  # noqa: E402
    CampaignAnswer,
    CampaignFeature,
    CampaignInvitation,
    CampaignWeight,
    SurveyCampaign,
)

__all__ = [
    "CampaignAnswer",
    "CampaignFeature",
    "CampaignInvitation",
    "CampaignWeight",
    "Cause",
    "CsatSurvey",
    "QaCalibration",
    "QaCriterion",
    "QaScore",
    "QaScoreItem",
    "RootCauseAnalysis",
    "ServqualItem",
    "SurveyCampaign",
    "SurveyCursor",
    "WarningAlarm",
    "WhyStep",
]
