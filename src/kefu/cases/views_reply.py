"""The reply area of the case page: reply on a chosen channel, resend what was not
delivered, drafts saved as the agent types, and who else has the case open."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.cases import selectors, selectors_replies
from kefu.cases.forms import DraftForm, ReplyForm, ResendForm
from kefu.cases.forms_files import attachments_from
from kefu.cases.models import Case, Message
from kefu.cases.services import files, replies
from kefu.cases.services._common import CaseConflictError
from kefu.cases.services.cases import channel_label
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm


def reply_context(
    request: HttpRequest, *, actor: User, case: Case, detail: dict[str, Any]
) -> dict[str, Any]:
    """What the case page needs for the reply area and the history (merged into the
    page's context): the channels, the restored draft, the changes since a stale
    form was loaded, colleagues on the case, and history lines that say when a
    reply was not delivered."""
    now = timezone.now()
    draft = selectors_replies.reply_draft_for(case=case, actor=actor)
    options = selectors_replies.reply_channels(case)
    reachable = [option.channel for option in options if option.reachable]
    chosen = draft.channel if draft and draft.channel in reachable else ""
    since = _since(request.GET)
    changes: tuple[list[Message], list[Any]] | None = None
    undelivered = selectors_replies.undelivered_ids(detail["thread"])
    if since is not None:
        changed_messages, changed_events = selectors_replies.case_changes_since(
            case=case, since=since
        )
        changes = (
            changed_messages,
            selectors_replies.history_lines(changed_events, undelivered=undelivered),
        )
    return {
        "reply_form": ReplyForm(initial={"version": case.version, "loaded_at": now.isoformat()}),
        "reply_channels": options,
        "reply_channel": chosen or (reachable[0] if reachable else ""),
        "resend_channels": reachable,
        "draft_text": draft.body if draft else "",
        "changes": changes,
        "colleagues": selectors_replies.case_colleagues(case=case, actor=actor, now=now),
        "event_lines": selectors_replies.history_lines(detail["events"], undelivered=undelivered),
        # The channel's own words about a failure are for whoever configures channels.
        "sees_delivery_detail": actor.has_role_perm(Perm.MANAGE_SETTINGS),
    }


def _since(query: QueryDict) -> datetime | None:
    return _parse_instant(query.get("since", ""))


def _parse_instant(text: str) -> datetime | None:
    """An ISO instant with its offset, else None (a naive one reads as UTC)."""
    try:
        parsed = parse_datetime(text)
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def _case_url(case_id: int, **query: str) -> str:
    url = reverse("cases:case", args=[case_id])
    return f"{url}?{urlencode(query)}#reply-heading" if query else url


@require_POST
@login_required
def reply(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send the reply; whatever happens, what the agent typed is kept as their draft
    until the reply has gone out. A stale form (someone changed the case since it
    was loaded) sends nothing and goes back to the page, which shows what changed
    and the draft, ready to send again."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    body = request.POST.get("body", "")
    channel = request.POST.get("channel", "")[:20]
    now = timezone.now()
    replies.reply_draft_save(actor=actor, case=case, body=body, channel=channel, at=now)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return HttpResponseRedirect(_case_url(case_id))
    data = form.cleaned_data
    try:
        message = files.case_reply_with_files(
            actor=actor,
            case=case,
            body=data["body"],
            at=now,
            version=data["version"],
            channel=data["channel"] or None,
            files=attachments_from(data["attachments"]),
        )
    except CaseConflictError:
        loaded_at = _parse_instant(data.get("loaded_at") or "")
        messages.warning(
            request,
            _(
                "A colleague changed this case while you were writing; nothing was sent. "
                "Your reply is kept below: read what changed, then send it again."
            ),
        )
        since = (loaded_at or now).isoformat()
        return HttpResponseRedirect(_case_url(case_id, since=since))
    except DomainError as exc:
        messages.error(request, exc.text())
        return HttpResponseRedirect(_case_url(case_id))
    _say_how_it_went(request, message)
    return HttpResponseRedirect(_case_url(case_id))


def _say_how_it_went(request: HttpRequest, message: Message) -> None:
    """The reply's fate as far as known now: a delivery that ran at once may have
    failed already (then the message says why), else it is on its way."""
    message.refresh_from_db(fields=["delivery_status"])
    label = {"channel": channel_label(message.channel)}
    if message.delivery_status == "failed":
        messages.warning(
            request, _("The reply was not delivered by %(channel)s; see why on it.") % label
        )
    elif message.delivery_status == "sent":
        messages.success(request, _("Reply sent by %(channel)s.") % label)
    else:
        messages.success(request, _("Reply saved; it is going out by %(channel)s.") % label)


@require_POST
@login_required
def resend(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    """Resend an undelivered reply, on its own channel or another reachable one."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    message = get_object_or_404(Message, pk=message_id, case=case)
    form = ResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the channel to send it by."))
        return HttpResponseRedirect(_case_url(case_id))
    channel = form.cleaned_data["channel"]
    try:
        resent = replies.message_resend(
            actor=actor, message=message, channel=channel, at=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.text())
    else:
        _say_how_it_went(request, resent)
    return HttpResponseRedirect(_case_url(case_id))


@require_POST
@login_required
def draft_save(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: keep the reply being typed (every second or so while the agent types)."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = DraftForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    now = timezone.now()
    draft = replies.reply_draft_save(
        actor=actor, case=case, body=data.get("body", ""), channel=data.get("channel", ""), at=now
    )
    return render(request, "cases/_draft_status.html", {"draft": draft, "now": now})


@require_GET
@login_required
def presence(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx, polled every few seconds: note that this agent is here, and say who else
    has the case open and who is typing."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    now = timezone.now()
    replies.case_presence_touch(actor=actor, case=case, at=now)
    colleagues = selectors_replies.case_colleagues(case=case, actor=actor, now=now)
    return render(request, "cases/_presence.html", {"case": case, "colleagues": colleagues})
