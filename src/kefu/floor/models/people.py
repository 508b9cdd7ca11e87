"""People: career events, coaching before discipline, exits, recruitment candidates.

Candidates hold only the job-relevant parts of a resume. There is deliberately
no field for ethnicity, height, weight or marital status; the national ID is
kept only as ciphertext (``kefu.floor.crypto``) plus its masked form.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CareerEvent(models.Model):
    """One step of an agent's history: hired, a new role, a transfer, a skill, a course."""

    class Kind(models.TextChoices):
        HIRED = "hired", _("Hired")
        ROLE_CHANGE = "role_change", _("Role change")
        TRANSFER = "transfer", _("Transfer")
        SKILL = "skill", _("Skill")
        TRAINING = "training", _("Training")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="career_events",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    on = models.DateField(_("date"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("career event")
        verbose_name_plural = _("career events")
        ordering = ["agent", "on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(kind="hired"), name="career_one_hire_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.kind} {self.on}"


class CoachingConversation(models.Model):
    """A lead and an agent talking: what was said and what they agreed."""

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coaching_conversations",
        verbose_name=_("agent"),
    )
    held_at = models.DateTimeField(_("held at"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"))
    agreed_actions = models.TextField(_("agreed actions"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)

    class Meta:
        verbose_name = _("coaching conversation")
        verbose_name_plural = _("coaching conversations")
        ordering = ["-held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agent} {self.held_at:%Y-%m-%d} {self.topic}"


class DisciplinaryNote(models.Model):
    """A formal note. It cannot exist without the coaching conversation it follows."""

    # NOT NULL and PROTECT: the database itself refuses a note with no
    # conversation on file, and refuses deleting a conversation a note rests on.
    coaching = models.ForeignKey(
        CoachingConversation,
        on_delete=models.PROTECT,
        related_name="disciplinary_notes",
        verbose_name=_("coaching conversation"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agent"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("disciplinary note")
        verbose_name_plural = _("disciplinary notes")
        ordering = ["-recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agent} {self.recorded_at:%Y-%m-%d}"


class ExitRecord(models.Model):
    """Why someone left, so the reasons can be counted and acted on."""

    class Reason(models.TextChoices):
        PAY = "pay", _("Pay")
        MONOTONY = "monotony", _("Monotony")
        NO_GROWTH = "no_growth", _("No growth")
        OTHER = "other", _("Other")

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exit_record",
        verbose_name=_("agent"),
    )
    left_on = models.DateField(_("left on"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("exit record")
        verbose_name_plural = _("exit records")
        ordering = ["-left_on"]

    def __str__(self) -> str:
        return f"{self.agent} {self.left_on} {self.reason}"


class Candidate(models.Model):
    """An applicant and the job-relevant parts of their resume."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        INTERVIEWED = "interviewed", _("Interviewed")
        OFFERED = "offered", _("Offered")
        HIRED = "hired", _("Hired")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    education = models.TextField(_("education"), blank=True)
    experience = models.TextField(_("experience"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    computer_skills = models.CharField(_("computer skills"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    expected_pay = models.PositiveIntegerField(_("expected monthly pay"), null=True, blank=True)
    self_introduction = models.TextField(_("self-introduction"), blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage, default=Stage.APPLIED)
    opening = models.ForeignKey(
        "floor.Opening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("opening"),
    )
    national_id_ciphertext = models.TextField(_("national ID (encrypted)"), blank=True)
    national_id_masked = models.CharField(_("national ID"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["stage", "created_at"], name="candidate_stage")]

    def __str__(self) -> str:
        return self.name
