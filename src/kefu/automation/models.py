"""Triggers and automations, their runs, macros, and outbound webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.Model):
    """A trigger (runs on case events) or an automation (runs on a time condition).

    ``conditions``, ``actions`` and ``time`` are JSON checked by
    :mod:`kefu.automation.rules` before every save. Actions run with the rights of
    ``run_as``, the person who last saved the rule: a rule can do nothing its
    author could not do by hand.
    """

    class Kind(models.TextChoices):
        TRIGGER = "trigger", _("Trigger")
        AUTOMATION = "automation", _("Automation")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.TRIGGER)
    events = models.JSONField(_("events"), default=list, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    actions = models.JSONField(_("actions"), default=list)
    time = models.JSONField(_("time condition"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Only cases of this department; empty: every case."),
    )
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("runs as"),
    )
    run_count = models.PositiveIntegerField(_("runs"), default=0)
    error_count = models.PositiveIntegerField(_("errors in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["kind", "is_active", "position"], name="rule_active")]

    def __str__(self) -> str:
        return self.name


class RuleRun(models.Model):
    """One rule run on one case for one event: at most one per (rule, case, event key)."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, related_name="runs", verbose_name=_("rule")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    event = models.CharField(_("event"), max_length=40)
    # What makes the event unique on the case (a message id, a due time, the
    # instant an automation's clock started from): the trigger fires once per key.
    key = models.CharField(_("key"), max_length=100)
    since_at = models.DateTimeField(_("since"), null=True, blank=True)
    at = models.DateTimeField(_("at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    detail = models.JSONField(_("detail"), default=list, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "case", "key"], name="rule_run_once")
        ]
        indexes = [
            models.Index(fields=["rule", "at"], name="rule_run_rule_time"),
            models.Index(fields=["rule", "case", "since_at"], name="rule_run_since"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.case_id} {self.key}"


class Macro(models.Model):
    """A named bundle of actions and a reply template, applied by an agent in one click."""

    class Scope(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        TEAM = "team", _("Team")
        SHARED = "shared", _("Shared")

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope, default=Scope.SHARED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    actions = models.JSONField(_("actions"), default=list, blank=True)
    reply_template = models.ForeignKey(
        "cases.ReplyTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reply template"),
    )
    use_count = models.PositiveIntegerField(_("used"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookSubscription(models.Model):
    """A URL that receives signed case, incident, survey and floor events."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscription, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Will retry")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    event_id = models.CharField(_("event id"), max_length=64)
    event = models.CharField(_("event"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status__in=["pending", "retrying"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.event} {self.event_id}"
