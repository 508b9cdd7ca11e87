"""The floor in the moment: raised hands, agent states, leave, queue calls, meal alerts."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RaisedHand(models.Model):
    """An agent asking the team lead for help. At most one open hand per agent."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="raised_hands",
        verbose_name=_("agent"),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("raised hand")
        verbose_name_plural = _("raised hands")
        ordering = ["raised_at", "pk"]
        constraints = [
            # A second click while a hand is up must not queue the agent twice.
            models.UniqueConstraint(
                fields=["agent"], condition=Q(closed_at__isnull=True), name="hand_one_open"
            ),
        ]
        indexes = [
            models.Index(
                fields=["raised_at"], name="hand_open_raised", condition=Q(closed_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.raised_at:%H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def seconds_to_help(self) -> int | None:
        """Seconds from raising to a lead's acknowledgement, or None while waiting."""
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.raised_at).total_seconds())


class AgentState(models.Model):
    """One spell of one agent in one state. The open spell has no ``ended_at``."""

    class State(models.TextChoices):
        AVAILABLE = "available", _("Available")
        ON_CONTACT = "on_contact", _("On a contact")
        AFTER_CONTACT = "after_contact", _("After-contact work")
        SCHEDULED_BREAK = "scheduled_break", _("Scheduled break")
        MEAL = "meal", _("Meal")
        SPECIAL_BREAK = "special_break", _("Special break")
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting")
        OFFLINE = "offline", _("Offline")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="floor_states",
        verbose_name=_("agent"),
    )
    state = models.CharField(_("state"), max_length=24, choices=State)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The workforce ShiftActivity a scheduled break or meal was taken for, by id:
    # a plain number so the floor's history survives a re-published schedule.
    planned_activity_id = models.BigIntegerField(_("planned activity"), null=True, blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent state")
        verbose_name_plural = _("agent states")
        ordering = ["agent", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(ended_at__isnull=True), name="state_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="state_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["agent", "started_at"], name="state_agent_started")]

    def __str__(self) -> str:
        return f"{self.agent} {self.state} {self.started_at:%H:%M}"


BREAK_STATES = frozenset(
    {AgentState.State.SCHEDULED_BREAK, AgentState.State.MEAL, AgentState.State.SPECIAL_BREAK}
)
PHONE_STATES = frozenset(
    {AgentState.State.AVAILABLE, AgentState.State.ON_CONTACT, AgentState.State.AFTER_CONTACT}
)


class Leave(models.Model):
    """A day or days away. Sick leave is self-declared and approved as entered."""

    class Kind(models.TextChoices):
        SICK = "sick", _("Sick leave")
        PERSONAL = "personal", _("Personal leave")
        ANNUAL = "annual", _("Annual leave")
        OTHER = "other", _("Other leave")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="floor_leave",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=16, choices=Status)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="leave_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"], name="leave_dates")]

    def __str__(self) -> str:
        return f"{self.agent} {self.kind} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


CHECK_IN_TEXT = {
    "frequent_sick": _("%(count)s sick days in the last %(days)s days"),
    "weekend_adjacent": _(
        "%(count)s absences next to a weekend (a Monday or a Friday) in the last %(days)s days"
    ),
}


class CheckInSuggestion(models.Model):
    """A suggestion to the lead to talk with an agent about absence. Never a penalty."""

    class Pattern(models.TextChoices):
        FREQUENT_SICK = "frequent_sick", _("Several sick days in a short time")
        WEEKEND_ADJACENT = "weekend_adjacent", _("Absences next to weekends, repeatedly")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Talked")
        DISMISSED = "dismissed", _("Dismissed")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agent"),
    )
    pattern = models.CharField(_("pattern"), max_length=24, choices=Pattern)
    # The pattern's figures as JSON ({"count": 3, "days": 90}), worded when read
    # (detail_text); rows written before that hold the sentence itself.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in suggestion")
        verbose_name_plural = _("check-in suggestions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "pattern"],
                condition=Q(status="open"),
                name="checkin_one_open_per_pattern",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.pattern}"

    @property
    def detail_text(self) -> str:
        """What was seen, in the active language."""
        try:
            figures = json.loads(self.detail)
        except ValueError:
            return self.detail
        sentence = CHECK_IN_TEXT.get(self.pattern)
        if not isinstance(figures, dict) or sentence is None:
            return self.detail
        try:
            return str(sentence) % figures
        except (KeyError, TypeError, ValueError):
            return self.detail


class QueueCall(models.Model):
    """One call offered to a queue: when it arrived, was answered or abandoned."""

    queue_name = models.CharField(_("queue"), max_length=100)
    arrived_at = models.DateTimeField(_("arrived at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    abandoned_at = models.DateTimeField(_("abandoned at"), null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    handle_seconds = models.PositiveIntegerField(_("handle time (seconds)"), default=0)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("queue call")
        verbose_name_plural = _("queue calls")
        ordering = ["arrived_at", "pk"]
        indexes = [models.Index(fields=["queue_name", "arrived_at"], name="queuecall_queue_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(abandoned_at__isnull=True),
                name="queuecall_answered_or_abandoned",
            ),
            models.UniqueConstraint(
                fields=["queue_name", "external_id"],
                condition=~Q(external_id=""),
                name="queuecall_unique_external",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue_name} {self.arrived_at:%H:%M:%S}"


class MealAlert(models.Model):
    """A warning, raised before it happens, that an agent's meal would leave its window."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agent"),
    )
    meal_start = models.DateTimeField(_("planned meal start"))
    meal_end = models.DateTimeField(_("planned meal end"))
    window_end = models.DateTimeField(_("meal window ends"))
    projected_start = models.DateTimeField(_("projected meal start"), null=True, blank=True)
    proposals = models.JSONField(_("proposed moves"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("meal alert")
        verbose_name_plural = _("meal alerts")
        ordering = ["meal_start", "pk"]
        constraints = [
            # The clock job runs every few minutes; one alert per meal is enough.
            models.UniqueConstraint(fields=["agent", "meal_start"], name="mealalert_one_per_meal")
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.meal_start:%H:%M}"
