"""The automation API under /api/v1/automation/: rules, dry-run, run log, macros, webhooks.

Rules are the same JSON the pages build (see docs/automation.md); a rule the
schema refuses answers 400 ``invalid_rule`` with the field named in the message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kefu.automation import selectors, services, webhooks
from kefu.automation.models import Macro, Rule, RuleRun, WebhookDelivery, WebhookSubscription
from kefu.cases.models import ReplyTemplate
from kefu.cases.selectors import access_case
from kefu.core.requests import request_user as actor_of

router = Router(tags=["automation"])


class RuleIn(Schema):
    name: str
    kind: str = "trigger"
    events: list[str] = []
    conditions: dict[str, Any] = {}
    actions: list[dict[str, Any]]
    time: dict[str, Any] | None = None
    position: int = 100
    is_active: bool = True


class RuleOut(Schema):
    id: int
    name: str
    kind: str
    events: list[str]
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    time: dict[str, Any] | None
    position: int
    is_active: bool
    run_count: int
    error_count: int
    last_error: str
    department_id: int | None
    run_as_id: int


class DryRunIn(Schema):
    conditions: dict[str, Any]
    days: int = 30


class DryRunOut(Schema):
    examined: int
    matched: list[str]


class RunOut(Schema):
    id: int
    case_id: int
    event: str
    key: str
    at: datetime
    outcome: str
    detail: list[str]
    error: str


class MacroIn(Schema):
    name: str
    scope: str = "personal"
    actions: list[dict[str, Any]] = []
    reply_template_id: int | None = None


class MacroOut(Schema):
    id: int
    name: str
    scope: str
    actions: list[dict[str, Any]]
    reply_template_id: int | None
    use_count: int


class MacroAppliedOut(Schema):
    reference: str
    done: list[str]
    reply_text: str


class WebhookIn(Schema):
    name: str = ""
    url: str
    events: list[str]


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool


class WebhookCreatedOut(WebhookOut):
    secret: str


class WebhookDeliveryOut(Schema):
    id: int
    subscription_id: int
    event_id: str
    event: str
    status: str
    attempts: int
    response_status: int | None
    error: str
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


def _save(request: HttpRequest, payload: RuleIn, rule: Rule | None = None) -> Rule:
    return services.rule_save(
        actor=actor_of(request),
        rule=rule,
        name=payload.name,
        kind=payload.kind,
        events=payload.events,
        conditions=payload.conditions,
        actions=payload.actions,
        time=payload.time,
        position=payload.position,
        is_active=payload.is_active,
        at=timezone.now(),
    )


@router.get("/rules", response=list[RuleOut])
def rule_list(request: HttpRequest) -> list[Rule]:
    return list(selectors.rules_for(actor_of(request)))


@router.post("/rules", response={201: RuleOut})
def rule_create(request: HttpRequest, payload: RuleIn) -> tuple[int, Rule]:
    return 201, _save(request, payload)


@router.get("/rules/{rule_id}", response=RuleOut)
def rule_get(request: HttpRequest, rule_id: int) -> Rule:
    return selectors.access_rule(actor_of(request), rule_id)


@router.put("/rules/{rule_id}", response=RuleOut)
def rule_update(request: HttpRequest, rule_id: int, payload: RuleIn) -> Rule:
    return _save(request, payload, selectors.access_rule(actor_of(request), rule_id))


@router.delete("/rules/{rule_id}", response={204: None})
def rule_delete(request: HttpRequest, rule_id: int) -> tuple[int, None]:
    actor = actor_of(request)
    services.rule_delete(actor=actor, rule=selectors.access_rule(actor, rule_id), at=timezone.now())
    return 204, None


@router.get("/rules/{rule_id}/runs", response=list[RunOut])
def rule_runs(request: HttpRequest, rule_id: int) -> list[RuleRun]:
    return selectors.rule_runs(selectors.access_rule(actor_of(request), rule_id))


@router.post("/dry-run", response=DryRunOut)
def dry_run(request: HttpRequest, payload: DryRunIn) -> dict[str, object]:
    matched, examined = services.rule_dry_run(
        actor=actor_of(request),
        conditions=payload.conditions,
        at=timezone.now(),
        days=max(1, min(payload.days, 90)),
    )
    return {"examined": examined, "matched": [case.reference for case in matched]}


@router.get("/macros", response=list[MacroOut])
def macro_list(request: HttpRequest) -> list[Macro]:
    return selectors.macros_for(actor_of(request))


@router.post("/macros", response={201: MacroOut})
def macro_create(request: HttpRequest, payload: MacroIn) -> tuple[int, Macro]:
    template = (
        ReplyTemplate.objects.filter(pk=payload.reply_template_id, is_active=True).first()
        if payload.reply_template_id
        else None
    )
    macro = services.macro_save(
        actor=actor_of(request),
        name=payload.name,
        scope=payload.scope,
        actions=payload.actions,
        reply_template=template,
        at=timezone.now(),
    )
    return 201, macro


@router.post("/macros/{macro_id}/apply/{case_id}", response=MacroAppliedOut)
def macro_apply(request: HttpRequest, macro_id: int, case_id: int) -> dict[str, object]:
    actor = actor_of(request)
    case = access_case(actor, case_id)
    result = services.macro_apply(
        actor=actor, macro=selectors.access_macro(actor, macro_id), case=case, at=timezone.now()
    )
    return {"reference": case.reference, "done": result.done, "reply_text": result.reply_text}


@router.get("/webhooks", response=list[WebhookOut])
def webhook_list(request: HttpRequest) -> list[WebhookSubscription]:
    return list(selectors.webhooks_for(actor_of(request)))


@router.post("/webhooks", response={201: WebhookCreatedOut})
def webhook_create(request: HttpRequest, payload: WebhookIn) -> tuple[int, WebhookSubscription]:
    return 201, webhooks.webhook_save(
        actor=actor_of(request),
        name=payload.name,
        url=payload.url,
        events=payload.events,
        at=timezone.now(),
    )


@router.get("/webhooks/deliveries", response=list[WebhookDeliveryOut])
def delivery_list(request: HttpRequest) -> list[WebhookDelivery]:
    return selectors.deliveries_for(actor_of(request))
