"""Users, roles, departments and teams, the audit log, API tokens, due jobs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import notification_render
from kefu.core.roles import Perm, Role, role_grants


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=100)
    # Parsed by kefu.core.calendar.parse_working_hours, e.g. "09:00-12:00,13:00-18:00".
    working_hours = models.CharField(
        _("working hours"), max_length=200, default="09:00-12:00,13:00-18:00"
    )
    working_days = models.CharField(
        _("working days"),
        max_length=20,
        default="1,2,3,4,5",
        help_text=_("ISO weekday numbers, Monday is 1. Holidays and make-up days still apply."),
    )
    calendar_region = models.CharField(_("calendar region"), max_length=20, default="cn")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.department.name} / {self.name}"


class CalendarOverride(models.Model):
    """One dated exception to a region's holiday calendar: a day off (a statutory
    holiday, a company day off) or a make-up working day (调休).

    Region-wide rows (no team) win over the ``chinese_calendar`` package for the
    dates they name; a team's own rows win over the region's for that team. A
    year the package does not cover is computed from its overrides plus the
    team's working weekdays (:mod:`kefu.core.calendar`).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        WORKDAY = "workday", _("Make-up working day")

    region = models.CharField(_("calendar region"), max_length=20, default="cn")
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("team"),
        help_text=_("Leave empty for the whole region; set for one team's own day off."),
    )
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=100, blank=True)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["region", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "day"],
                condition=models.Q(team__isnull=True),
                name="calendar_override_region_day",
            ),
            models.UniqueConstraint(
                fields=["team", "day"],
                condition=models.Q(team__isnull=False),
                name="calendar_override_team_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.name}"


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role, default=Role.AGENT)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def has_role_perm(self, perm: Perm) -> bool:
        """Whether this active user's role grants ``perm``."""
        if not self.is_active:
            return False
        return self.is_superuser or role_grants(self.role, perm)


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only")


class AuditEntry(models.Model):
    """One action by one actor on one record. Append-only; written by services."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an existing entry is never rewritten.
        if not self._state.adding:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only")


class ApiToken(models.Model):
    """A per-user API token. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # None: the token is good until revoked.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginFailure(models.Model):
    """A failed login, kept for the rate limit per account and per address."""

    at = models.DateTimeField(_("at"), db_index=True)
    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} {self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class ScheduledJob(models.Model):
    """A piece of time-based work: due at ``due_at``, claimed by the clock loop.

    A claim is a compare-and-swap on ``locked_until``, so two clock loops never
    run the same job at once, and a loop that dies mid-job leaves a lease that
    expires, after which the job is claimed again.
    """

    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True)
    repeat_seconds = models.PositiveIntegerField(_("repeat every (seconds)"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["due_at"]
        indexes = [
            # The clock loop scans only pending jobs by due time.
            models.Index(
                fields=["due_at"], name="job_pending_due", condition=models.Q(done_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} @ {self.due_at}"


class Notification(models.Model):
    """A notice to a staff member: shown in the product and sent by email."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    created_at = models.DateTimeField(_("created at"))
    # What happened, as a code plus parameters: rendered in the reader's language
    # when read (kefu.core.notifications). ``subject`` and ``body`` keep the text
    # as first written, shown for rows without a code (written before codes).
    code = models.CharField(_("kind"), max_length=64, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.shown_subject

    def _rendered(self) -> tuple[str, str]:
        rendered = notification_render(self.code, self.params) if self.code else None
        return rendered if rendered is not None else (self.subject, self.body)

    @property
    def shown_subject(self) -> str:
        """The subject in the active language (the stored text for rows without a code)."""
        return self._rendered()[0]

    @property
    def shown_body(self) -> str:
        """The body in the active language (the stored text for rows without a code)."""
        return self._rendered()[1]


# Staff alerts in WeCom, DingTalk and Feishu live in their own module (Django finds
# them through this import).
from kefu.core.alert_models import StaffAlertDelivery as StaffAlertDelivery  # noqa: E402
from kefu.core.alert_models import StaffAlertSetting as StaffAlertSetting  # noqa: E402
from kefu.core.alert_models import TeamAlertRobot as TeamAlertRobot  # noqa: E402
from kefu.core.alert_models import WecomAccessToken as WecomAccessToken  # noqa: E402
