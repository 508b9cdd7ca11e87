"""Skills on agents, each team's routing settings, and each case's routing state."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SkillKind(models.TextChoices):
    CATEGORY = "category", _("Category")
    LANGUAGE = "language", _("Language")
    CHANNEL = "channel", _("Channel")
    TIER = "tier", _("Customer tier")
    REGION = "region", _("Region")
    # A subject the case is about (漏水, 空调): found in the case's subject, first
    # message or tags when some agent holds it as a skill.
    TOPIC = "topic", _("Topic")


class AgentSkill(models.Model):
    """One skill of one agent at a level from 1 (can handle it) to 3 (expert)."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="routing_skills",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SkillKind)
    value = models.CharField(_("value"), max_length=100)
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")
        ordering = ["agent", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "value"], name="routing_skill_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="routing_skill_level_1_3"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="routing_skill_kind_value")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind}:{self.value} {self.level}"


class RoutingMethod(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")
    SKILLS_FIRST = "skills_first", _("Skills first, then the whole team")


class TeamRouting(models.Model):
    """How one team's new cases find an agent. A team without a row is not routed."""

    team = models.OneToOneField(
        "core.Team", on_delete=models.CASCADE, related_name="routing", verbose_name=_("team")
    )
    is_enabled = models.BooleanField(_("route new cases"), default=True)
    method = models.CharField(
        _("method"), max_length=16, choices=RoutingMethod, default=RoutingMethod.SKILLS_FIRST
    )
    # Skills first: after this many minutes waiting, the case goes to the whole team.
    fallback_minutes = models.PositiveIntegerField(
        _("fall back to the team after (minutes)"), default=10
    )
    # Only agents on a published shift receive cases; off for teams that do not plan shifts.
    require_shift = models.BooleanField(_("only agents on a published shift"), default=True)
    # A returning customer goes back to their agent within this many days (0: never).
    sticky_days = models.PositiveIntegerField(
        _("return to the last agent within (days)"), default=7
    )
    # The most open cases an agent holds, weighted by priority (low/normal 1, high 2, urgent 3).
    capacity = models.PositiveIntegerField(_("capacity per agent (weighted)"), default=15)
    # The most open cases per channel, e.g. {"chat": 3, "email": 10}; a channel not named has none.
    channel_capacity = models.JSONField(_("capacity per channel"), default=dict, blank=True)
    # Round robin's pointer: the agent who got the last case.
    last_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last agent given a case"),
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("team routing")
        verbose_name_plural = _("team routing")

    def __str__(self) -> str:
        return f"{self.team_id} {self.method}"


class CaseRouting(models.Model):
    """A case's routing: requirements set by hand, and why it waits when nobody took it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an agent")
        ROUTED = "routed", _("Routed")
        DONE = "done", _("No longer waiting")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="routing", verbose_name=_("case")
    )
    # Set by hand: [{"kind": "language", "value": "en", "level": 2}, ...]; replaces the
    # requirements read from the case while ``is_manual``.
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    is_manual = models.BooleanField(_("requirements set by hand"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DONE)
    # Why the case waits, as a code and parameters rendered at read time (reasons.py).
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("case routing")
        verbose_name_plural = _("case routing")
        indexes = [
            # The retry clock walks only the waiting rows that are due.
            models.Index(
                fields=["next_try_at"],
                name="routing_case_waiting_due",
                condition=Q(status="waiting"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"
