"""People practices: the sick-pay policy table, onboarding, hiring bars, overtime.

Whether a day of sick leave is *paid* is the business's policy (per contract
type, per year) and is read from ``LeavePolicy`` when shown; *recording* sick
leave (``Leave``) never depends on it and never asks for a certificate.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    INTERN = "intern", _("Intern")
    OUTSOURCED = "outsourced", _("Outsourced")


class LeavePolicy(models.Model):
    """How many sick days a year are paid, and at what rate, for one contract type."""

    contract_type = models.CharField(_("contract type"), max_length=16, choices=ContractType)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    paid_sick_days = models.PositiveSmallIntegerField(
        _("paid sick days"), validators=[MaxValueValidator(366)]
    )
    sick_pay_percent = models.PositiveSmallIntegerField(
        _("sick pay (percent of pay)"), default=100, validators=[MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("leave policy")
        verbose_name_plural = _("leave policies")
        ordering = ["-year", "contract_type"]
        constraints = [
            models.UniqueConstraint(fields=["contract_type", "year"], name="leavepolicy_one_row"),
            models.CheckConstraint(
                condition=Q(sick_pay_percent__lte=100), name="leavepolicy_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_type} {self.year}"


class OnboardingStep(models.Model):
    """One ticked step of a new agent's onboarding; an unticked step has no row."""

    class Step(models.TextChoices):
        BRIEFING = "briefing", _("Briefing before going live")
        SHADOWING = "shadowing", _("Shadowing an experienced agent")
        FIRST_QA = "first_qa", _("First QA review talked through")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="onboarding_steps",
        verbose_name=_("agent"),
    )
    step = models.CharField(_("step"), max_length=16, choices=Step)
    done_at = models.DateTimeField(_("done at"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticked by"),
    )

    class Meta:
        verbose_name = _("onboarding step")
        verbose_name_plural = _("onboarding steps")
        ordering = ["agent", "done_at"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "step"], name="onboarding_one_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.step}"


class Opening(models.Model):
    """A position to fill, with the criteria every interview scores and the bar a hire
    must reach (the average of the criteria, 1 to 5). The bar does not drop to fill it."""

    title = models.CharField(_("title"), max_length=100)
    criteria = models.JSONField(_("criteria"), default=list)
    bar = models.FloatField(
        _("hiring bar (average, 1–5)"),
        default=3.5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class InterviewScore(models.Model):
    """One interviewer's scorecard of one candidate for one opening."""

    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, related_name="scores", verbose_name=_("opening")
    )
    candidate = models.ForeignKey(
        "floor.Candidate",
        on_delete=models.CASCADE,
        related_name="interview_scores",
        verbose_name=_("candidate"),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    scores = models.JSONField(_("scores"), default=dict)
    average = models.FloatField(_("average"))
    notes = models.TextField(_("notes"), blank=True)
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("interview scorecard")
        verbose_name_plural = _("interview scorecards")
        ordering = ["-scored_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "candidate", "interviewer"], name="interview_one_per_interviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} {self.opening} {self.average:.1f}"


class Overtime(models.Model):
    """Time worked past the shift, with why: overtime is recorded, never a silent stop-gap."""

    class Reason(models.TextChoices):
        PEAK_TRAFFIC = "peak_traffic", _("Traffic above the forecast")
        INCIDENT = "incident", _("Stoppage or outage")
        COVER_ABSENCE = "cover_absence", _("Covering an absence")
        TRAINING = "training", _("Training or meeting")
        OTHER = "other", _("Other")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="overtime",
        verbose_name=_("agent"),
    )
    on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("overtime")
        verbose_name_plural = _("overtime")
        ordering = ["-on", "pk"]
        indexes = [models.Index(fields=["on", "agent"], name="overtime_on_agent")]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1), name="overtime_positive")
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.on} {self.minutes}"


class PersonContract(models.Model):
    """Which contract an agent is on (the sick-pay table is per contract type)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person_contract",
        verbose_name=_("agent"),
    )
    contract_type = models.CharField(
        _("contract type"), max_length=16, choices=ContractType, default=ContractType.FULL_TIME
    )

    class Meta:
        verbose_name = _("contract type of an agent")
        verbose_name_plural = _("contract types of agents")

    def __str__(self) -> str:
        return f"{self.agent} {self.contract_type}"
