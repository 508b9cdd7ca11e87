"""Workforce data: queues and their history, forecasts, contracts and schedules."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Team


class Queue(models.Model):
    """A stream of contacts planned together, with its service targets."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        CHAT = "chat", _("Chat")
        EMAIL = "email", _("Email")

    name = models.CharField(_("name"), max_length=100, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel, default=Channel.PHONE)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workforce_queues",
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval (minutes)"), choices=[(15, "15"), (30, "30"), (60, "60")], default=30
    )
    service_level = models.FloatField(
        _("service-level target"),
        default=0.8,
        validators=[MinValueValidator(0.01), MaxValueValidator(0.99)],
    )
    answer_time_seconds = models.PositiveIntegerField(_("answer time (seconds)"), default=20)
    max_occupancy = models.FloatField(
        _("maximum occupancy"),
        null=True,
        blank=True,
        default=0.85,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.0)],
    )
    shrinkage = models.FloatField(
        _("shrinkage"), default=0.3, validators=[MinValueValidator(0.0), MaxValueValidator(0.95)]
    )
    patience_seconds = models.PositiveIntegerField(
        _("mean patience (seconds)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def targets(self) -> dict[str, float | None]:
        """The Erlang targets of this queue, as keyword arguments of ``erlang.required``."""
        return {
            "service_level": self.service_level,
            "answer_time_s": float(self.answer_time_seconds),
            "max_occupancy": self.max_occupancy,
            "shrinkage": self.shrinkage,
            "patience_s": float(self.patience_seconds) if self.patience_seconds else None,
        }


class HistoryInterval(models.Model):
    """What one queue received in one interval; re-importing the interval replaces it."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.CASCADE, related_name="history"
    )
    interval_start = models.DateTimeField(_("interval start"))
    offered = models.PositiveIntegerField(_("offered"))
    answered = models.PositiveIntegerField(_("answered"), null=True, blank=True)
    abandoned = models.PositiveIntegerField(_("abandoned"), null=True, blank=True)
    aht_seconds = models.FloatField(_("average handle time (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("history interval")
        verbose_name_plural = _("history intervals")
        ordering = ["queue", "interval_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "interval_start"], name="workforce_history_one_per_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.interval_start:%Y-%m-%d %H:%M}"


class Forecast(models.Model):
    """One forecast run for a queue: the method the backtest chose and every candidate's error."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.CASCADE, related_name="forecasts"
    )
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    method = models.CharField(_("method"), max_length=32)
    backtest_wape = models.FloatField(_("backtest WAPE"))
    candidates = models.JSONField(_("candidates"), default=dict)
    targets = models.JSONField(_("targets"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.queue} {self.start:%Y-%m-%d} +{self.days}"


class ForecastInterval(models.Model):
    """One forecast interval: contacts expected and the agents they need."""

    forecast = models.ForeignKey(
        Forecast, verbose_name=_("forecast"), on_delete=models.CASCADE, related_name="intervals"
    )
    interval_start = models.DateTimeField(_("interval start"))
    offered = models.FloatField(_("offered"))
    aht_seconds = models.FloatField(_("average handle time (seconds)"))
    required = models.PositiveIntegerField(_("required agents"))
    scheduled = models.PositiveIntegerField(_("scheduled agents"))
    service_level = models.FloatField(_("service level"))

    class Meta:
        verbose_name = _("forecast interval")
        verbose_name_plural = _("forecast intervals")
        ordering = ["forecast", "interval_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["forecast", "interval_start"], name="workforce_forecast_one_per_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interval_start:%Y-%m-%d %H:%M}: {self.required}"


class AgentContract(models.Model):
    """What an agent may be planned for in a week."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="workforce_contract",
    )
    max_hours_per_week = models.FloatField(
        _("maximum hours per week"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    max_days_per_week = models.PositiveSmallIntegerField(
        _("maximum days per week"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    available_from = models.TimeField(_("available from"))
    available_to = models.TimeField(_("available to"))
    days_off = models.JSONField(_("days off wanted"), default=list, blank=True)

    class Meta:
        verbose_name = _("agent contract")
        verbose_name_plural = _("agent contracts")

    def __str__(self) -> str:
        return str(self.user)


class Schedule(models.Model):
    """A team's week of shifts, built by the solver and published to the agents."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Queued")
        SOLVING = "solving", _("Solving")
        READY = "ready", _("Ready to publish")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="workforce_schedules"
    )
    forecast = models.ForeignKey(
        Forecast,
        verbose_name=_("forecast"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedules",
    )
    week_start = models.DateField(_("week start"))
    rules = models.JSONField(_("rules"))
    requirements = models.JSONField(_("requirements"), default=list)
    contracts = models.JSONField(_("contracts"), default=list)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "week_start"], name="workforce_schedule_week")]

    def __str__(self) -> str:
        return f"{self.team} {self.week_start:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SOLVING)


class ScheduledShift(models.Model):
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="shifts"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="workforce_shifts",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["schedule", "start", "agent"]
        indexes = [models.Index(fields=["agent", "start"], name="workforce_shift_agent")]

    def __str__(self) -> str:
        return f"{self.agent} {self.start:%Y-%m-%d %H:%M}"


class ShiftActivity(models.Model):
    class Type(models.TextChoices):
        BREAK = "break", _("Break")
        MEAL = "meal", _("Meal")
        REST = "rest", _("Rest after the meal")

    shift = models.ForeignKey(
        ScheduledShift,
        verbose_name=_("shift"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    type = models.CharField(_("type"), max_length=8, choices=Type)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("shift activity")
        verbose_name_plural = _("shift activities")
        ordering = ["shift", "start"]

    def __str__(self) -> str:
        return f"{self.type} {self.start:%H:%M}"
