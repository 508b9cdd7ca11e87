"""Keeping work alive, the impact log, meetings, readiness and the review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import Contact
from kefu.incidents.models.incident import Incident

_USER = settings.AUTH_USER_MODEL


class ContinuationPlan(models.Model):
    """Parts of the work that continue during the stoppage."""

    class Kind(models.TextChoices):
        STAGED_ACCEPTANCE = "staged_acceptance", _("Staged acceptance")
        SEGMENTED_WORK = "segmented_work", _("Segmented work")
        REMEDY = "remedy", _("Remedy plan")
        OTHER = "other", _("Other")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="plans", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    parts = models.TextField(_("parts of the work that continue"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))
    # Sent to the affected contacts for their approval (a signed page per contact).
    sent_at = models.DateTimeField(_("sent for approval at"), null=True, blank=True)

    class Meta:
        verbose_name = _("continuation plan")
        verbose_name_plural = _("continuation plans")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class PlanAnswer(models.Model):
    """An affected contact's answer to a plan sent for approval (their latest one)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        QUESTION = "question", _("Asked a question")

    plan = models.ForeignKey(
        ContinuationPlan, on_delete=models.CASCADE, related_name="answers", verbose_name=_("plan")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    decision = models.CharField(_("answer"), max_length=16, choices=Decision)
    question = models.TextField(_("question"), blank=True)
    # The case the question landed on (linked to the incident).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer to a plan")
        verbose_name_plural = _("answers to plans")
        ordering = ["answered_at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "contact"], name="plan_answer_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.contact_id}: {self.decision}"


class ImpactEntry(models.Model):
    class Kind(models.TextChoices):
        CREW_IDLE = "crew_idle", _("Crew idle")
        SUPPLIER_DELIVERY = "supplier_delivery", _("Supplier delivery to move")
        COST = "cost", _("Cost of the delay")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="impacts", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    description = models.CharField(_("description"), max_length=300, blank=True)
    crew_size = models.PositiveIntegerField(_("crew size"), null=True, blank=True)
    idle_days = models.DecimalField(
        _("idle days"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    item = models.CharField(_("item"), max_length=200, blank=True)
    old_date = models.DateField(_("old date"), null=True, blank=True)
    new_date = models.DateField(_("new date"), null=True, blank=True)
    confirmed = models.BooleanField(_("confirmed with the supplier"), default=False)
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("impact entry")
        verbose_name_plural = _("impact log")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Meeting(models.Model):
    """An online meeting with every party; invitations go out as .ics files."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("incident")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    online_link = models.URLField(_("online link"), max_length=500)
    # Every party invited: [{"name": ..., "email": ...}].
    parties = models.JSONField(_("parties"), default=list)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))
    invited_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class ReadinessItem(models.Model):
    """One check before resumption: done, or waived by a manager with a reason."""

    class Key(models.TextChoices):
        RESOURCES = "resources", _("Resources ready")
        SUPPLIER_DATES = "supplier_dates", _("Supplier dates confirmed")
        CREW = "crew", _("Crew scheduled")
        SAFETY = "safety", _("Safety checked")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="readiness", verbose_name=_("incident")
    )
    key = models.CharField(_("item"), max_length=32, choices=Key)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    waived_by = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waived by"),
    )
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waiver_reason = models.CharField(_("reason for the waiver"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness checklist")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "key"], name="readiness_item_once"),
            # A waiver always carries its reason.
            models.CheckConstraint(
                condition=models.Q(waived_at__isnull=True) | ~models.Q(waiver_reason=""),
                name="readiness_waiver_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())

    @property
    def is_settled(self) -> bool:
        return self.done_at is not None or self.waived_at is not None


class Resumption(models.Model):
    """What the resumption notice said."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="resumption", verbose_name=_("incident")
    )
    resume_on = models.DateField(_("work resumes on"))
    work_plan = models.TextField(_("work plan"))
    risks = models.TextField(_("risks"))
    progress_plan = models.TextField(_("progress plan"))
    compensation = models.TextField(_("compensation for the delay"))
    supervision = models.TextField(_("invitation to supervise on site"))
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("resumption")
        verbose_name_plural = _("resumptions")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.resume_on}"


class Review(models.Model):
    """The review (复盘): five whys and a summary; the rest is computed from the record."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="review", verbose_name=_("incident")
    )
    five_whys = models.JSONField(_("five whys"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.incident_id}"


class ReviewAction(models.Model):
    """An early-warning action decided in the review, with an owner and a due date."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="actions", verbose_name=_("incident")
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class SurveyAnswer(models.Model):
    """A contact's feedback after resumption, through a signed link."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="survey_answers",
        verbose_name=_("incident"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "contact"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="survey_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.rating}"
