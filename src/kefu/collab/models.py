"""Who else works on a case, and how they talk: collaborators with a task, side
conversations with third parties (never shown to the customer), meetings, a check-in
rhythm and a task force."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case

_USER = settings.AUTH_USER_MODEL


class Collaborator(models.Model):
    """A person (often of another department) invited onto a case with a task and a due
    time. They see the case and add internal notes; the owner stays the customer's
    contact."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="collaborators", verbose_name=_("case")
    )
    user = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="collaborations", verbose_name=_("person")
    )
    task = models.TextField(_("task"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    invited_at = models.DateTimeField(_("invited at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        ordering = ["invited_at", "id"]
        indexes = [models.Index(fields=["user", "done_at"], name="collab_open_tasks")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.user_id}"


def _address_token() -> str:
    return secrets.token_hex(8)


class SideConversation(models.Model):
    """An e-mail thread with a third party (a supplier) about the case. Threaded on the
    case by its own reply address; never shown to the customer."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="side_conversations", verbose_name=_("case")
    )
    subject = models.CharField(_("subject"), max_length=300)
    party_name = models.CharField(_("with"), max_length=200)
    party_email = models.EmailField(_("their e-mail"))
    # The reply address side+<token>@KEFU_EMAIL_DOMAIN threads their answers here.
    token = models.CharField(max_length=32, unique=True, default=_address_token)
    started_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    started_at = models.DateTimeField(_("started at"))

    class Meta:
        verbose_name = _("side conversation")
        verbose_name_plural = _("side conversations")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def reply_address(self) -> str:
        return f"side+{self.token}@{settings.KEFU_EMAIL_DOMAIN}"


class SideMessage(models.Model):
    class Direction(models.TextChoices):
        OUT = "out", _("Sent")
        IN = "in", _("Received")

    conversation = models.ForeignKey(
        SideConversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("side conversation"),
    )
    direction = models.CharField(_("direction"), max_length=4, choices=Direction)
    author = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("side message")
        verbose_name_plural = _("side messages")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "message_id"],
                condition=~models.Q(message_id=""),
                name="side_message_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.direction}"


class CaseMeeting(models.Model):
    """A meeting on the case (a cross-department meeting), invitations as .ics."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place or online link"), max_length=500)
    # Everyone invited: [{"name": ..., "email": ...}].
    parties = models.JSONField(_("invited"), default=list)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class CheckInRhythm(models.Model):
    """Everyone on the case posts where things stand every ``every_hours``; the clock
    reminds them when a check-in falls due."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="check_in", verbose_name=_("case")
    )
    every_hours = models.PositiveIntegerField(_("every (hours)"))
    next_due_at = models.DateTimeField(_("next check-in due"))
    last_at = models.DateTimeField(_("last check-in"), null=True, blank=True)
    set_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("check-in rhythm")
        verbose_name_plural = _("check-in rhythms")

    def __str__(self) -> str:
        return f"{self.case_id} / {self.every_hours} h"


class TaskForce(models.Model):
    """A special task force (专项小组) on a case: a name, a lead and its members."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="task_force", verbose_name=_("case")
    )
    name = models.CharField(_("name"), max_length=200)
    lead = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="task_forces", blank=True, verbose_name=_("members")
    )
    formed_at = models.DateTimeField(_("formed at"))

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return self.name
