"""Reply templates, saved views and SLA policies."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases import templating
from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Case, ReplyTemplate, SavedView, SlaPolicy
from kefu.cases.services.sla import policies_cache
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm


def _checked(text: str) -> str:
    try:
        templating.check(text)
    except templating.TemplateError as exc:
        raise DomainError(
            CaseErrorCode.TEMPLATE_PLACEHOLDER, _("Template: %(error)s"), error=str(exc)
        ) from exc
    return text


@transaction.atomic
def reply_template_save(
    *, actor: User, name: str, body_zh: str, body_en: str, category: str, at: datetime
) -> ReplyTemplate:
    """Create or change the template called ``name`` (team leads and above)."""
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    template, created = ReplyTemplate.objects.update_or_create(
        name=name.strip(),
        defaults={
            "body_zh": _checked(body_zh),
            "body_en": _checked(body_en),
            "category": category,
        },
    )
    audit_record(
        actor=actor,
        action="reply_template.created" if created else "reply_template.changed",
        target=template,
        at=at,
    )
    return template


def reply_template_render(*, template: ReplyTemplate, case: Case, agent: User) -> tuple[str, str]:
    """The template in the contact's language, filled for ``case``: (text, language)."""
    language = case.contact.language
    text = template.body_en if language == "en" else template.body_zh
    values = {
        "contact_name": case.contact.name,
        "case_reference": case.reference,
        "subject": case.subject,
        "agent_name": str(agent),
        "organisation": case.organisation.name if case.organisation else "",
    }
    return templating.render(text, values), language


def saved_view_save(*, actor: User, name: str, filters: dict[str, object]) -> SavedView:
    """Save (or overwrite) one of the actor's own queue views."""
    authorize(actor, Perm.WORK_CASES)
    view, _created = SavedView.objects.update_or_create(
        owner=actor, name=name.strip()[:100], defaults={"filters": filters}
    )
    return view


def saved_view_delete(*, actor: User, view: SavedView) -> None:
    if view.owner_id != actor.pk:
        authorize(actor, Perm.MANAGE_SETTINGS)
    view.delete()


@transaction.atomic
def sla_policy_save(*, actor: User, at: datetime, **fields: object) -> SlaPolicy:
    """Create or change the SLA policy called ``fields["name"]`` (administrators)."""
    authorize(actor, Perm.MANAGE_SETTINGS)
    name = str(fields.pop("name"))
    policy, created = SlaPolicy.objects.update_or_create(name=name, defaults=fields)
    # Intake reads the policies from a per-process cache: this process sees the
    # change at once, other processes within ``kefu.core.process_cache.CACHE_SECONDS``.
    transaction.on_commit(policies_cache.clear)
    policies_cache.clear()
    audit_record(
        actor=actor,
        action="sla_policy.created" if created else "sla_policy.changed",
        target=policy,
        at=at,
        after={k: v for k, v in fields.items() if isinstance(v, (str, int, type(None)))},
    )
    return policy
