"""The desk's API router: cases, messages, escalation, transfers, promises, templates."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kefu.cases import selectors, selectors_replies, services
from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import (
    Case,
    Commitment,
    CompensationOffer,
    Message,
    ReplyTemplate,
    SavedView,
    SlaPolicy,
)
from kefu.cases.schemas import (
    AssignIn,
    CaseListOut,
    CaseListQuery,
    CaseOpenIn,
    CaseOut,
    CasePatchIn,
    CommitmentCloseIn,
    CommitmentIn,
    CommitmentOut,
    CompensationIn,
    CompensationOut,
    DecideIn,
    EscalateIn,
    EscalationOut,
    EventOut,
    KeptRateOut,
    LinkIn,
    MergeIn,
    MessageOut,
    OverHeadsIn,
    RenderedOut,
    ReplyIn,
    ResendIn,
    SavedViewIn,
    SavedViewOut,
    SlaPolicyIn,
    SlaPolicyOut,
    StatusIn,
    TemplateOut,
    TextIn,
    TransferIn,
    TransferOut,
    WatchIn,
)
from kefu.cases.search_pages import CaseListPagination
from kefu.cases.services import replies, workspace
from kefu.core.errors import DomainError, NotFoundError
from kefu.core.models import Department, User
from kefu.core.requests import request_user as actor_of
from kefu.customers.models import Contact, Project

router = Router(tags=["cases"])


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.access_case(actor_of(request), case_id)


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFoundError(CaseErrorCode.NOT_FOUND, _("No active user %(name)s."), name=username)
    return user


@router.get(
    "/cases",
    response=list[CaseListOut],
    summary="Cases in a queue or list",
    description="Most urgent SLA first. `count` stops at 1,001, meaning more than 1,000. "
    "`sla_due_soon`: a target passed its SLA warning share and is not yet due; "
    "filter with `flag=due_soon`.",
)
@paginate(CaseListPagination)
def case_list(request: HttpRequest, filters: Query[CaseListQuery]) -> list[Case]:
    query = selectors.CaseFilter(
        scope=filters.scope,
        status=tuple(filters.status),
        priority=tuple(filters.priority),
        category=tuple(filters.category),
        channel=tuple(filters.channel),
        flags=tuple(filters.flag),
        q=filters.q,
        include_closed=filters.include_closed,
    )
    return selectors.case_list_for(actor_of(request), query)  # type: ignore[return-value]


@router.post("/cases", response={201: CaseOut}, summary="Open a case for a contact")
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status[Any]:
    contact = get_object_or_404(Contact, pk=payload.contact_id)
    project = get_object_or_404(Project, pk=payload.project_id) if payload.project_id else None
    if payload.category not in Case.Category.values:
        raise DomainError(CaseErrorCode.INVALID_STATUS, _("Unknown category."))
    case = services.case_open(
        actor=actor_of(request),
        contact=contact,
        subject=payload.subject,
        body=payload.body,
        channel=payload.channel,
        at=timezone.now(),
        project=project,
        category=payload.category,
        priority=payload.priority,
    )
    return Status(201, case)


@router.get("/cases/{case_id}", response=CaseOut)
def case_get(request: HttpRequest, case_id: int) -> Case:
    return _case(request, case_id)


@router.patch("/cases/{case_id}", response=CaseOut, summary="Change details (needs version)")
def case_patch(request: HttpRequest, case_id: int, payload: CasePatchIn) -> Case:
    case = _case(request, case_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "category" in changes and changes["category"] not in Case.Category.values:
        raise DomainError(CaseErrorCode.INVALID_STATUS, _("Unknown category."))
    return services.case_update(
        actor=actor_of(request),
        case=case,
        at=timezone.now(),
        version=payload.version,
        changes=changes,
    )


@router.get("/cases/{case_id}/messages", response=list[MessageOut])
def case_messages(request: HttpRequest, case_id: int) -> list[Message]:
    return selectors.case_messages(_case(request, case_id))


@router.get("/cases/{case_id}/events", response=list[EventOut])
def case_events(request: HttpRequest, case_id: int) -> list[dict[str, object]]:
    case = _case(request, case_id)
    # A reply that did not reach the customer reads "not delivered", as on the page.
    undelivered = selectors_replies.undelivered_ids(case.messages.filter(direction="out"))
    return [
        {
            "at": event.at,
            "kind": event.kind,
            "text": text,
            "actor": event.actor.username if event.actor else None,
        }
        for event, text in selectors_replies.history_lines(
            selectors.case_events(case), undelivered=undelivered
        )
    ]


@router.post("/cases/{case_id}/replies", response={201: MessageOut})
def case_reply(request: HttpRequest, case_id: int, payload: ReplyIn) -> Status[Any]:
    message = services.case_reply(
        actor=actor_of(request),
        case=_case(request, case_id),
        body=payload.body,
        at=timezone.now(),
        version=payload.version,
        channel=payload.channel or None,
    )
    return Status(201, message)


@router.post("/cases/{case_id}/messages/{message_id}/resend", response={201: MessageOut})
def message_resend(
    request: HttpRequest, case_id: int, message_id: int, payload: ResendIn
) -> Status[Any]:
    """Resend an undelivered reply as a new message on ``channel`` (its own or another
    reachable one); the failed message reads ``resent``."""
    case = _case(request, case_id)
    message = get_object_or_404(Message, pk=message_id, case=case)
    resend = replies.message_resend(
        actor=actor_of(request), message=message, channel=payload.channel, at=timezone.now()
    )
    return Status(201, resend)


@router.post("/cases/{case_id}/notes", response={201: MessageOut})
def case_note(request: HttpRequest, case_id: int, payload: TextIn) -> Status[Any]:
    note = services.case_note(
        actor=actor_of(request), case=_case(request, case_id), body=payload.body, at=timezone.now()
    )
    return Status(201, note)


@router.post("/cases/{case_id}/status", response=CaseOut)
def case_status(request: HttpRequest, case_id: int, payload: StatusIn) -> Case:
    return services.case_set_status(
        actor=actor_of(request),
        case=_case(request, case_id),
        status=payload.status,
        at=timezone.now(),
        version=payload.version,
    )


@router.post("/cases/{case_id}/assign", response=CaseOut)
def case_assign(request: HttpRequest, case_id: int, payload: AssignIn) -> Case:
    return services.case_assign(
        actor=actor_of(request),
        case=_case(request, case_id),
        owner=_user(payload.owner),
        at=timezone.now(),
    )


@router.post("/cases/{case_id}/watch", response=dict[str, list[str]], summary="Watch or unwatch")
def case_watch(request: HttpRequest, case_id: int, payload: WatchIn) -> dict[str, list[str]]:
    case = _case(request, case_id)
    services.case_watch(actor=actor_of(request), case=case, watching=payload.watching)
    return {"watchers": sorted(case.watchers.values_list("username", flat=True))}


@router.post("/cases/{case_id}/escalate", response={201: EscalationOut})
def case_escalate(request: HttpRequest, case_id: int, payload: EscalateIn) -> Status[Any]:
    escalation = services.case_escalate(
        actor=actor_of(request),
        case=_case(request, case_id),
        reason=payload.reason,
        explanation=payload.explanation,
        at=timezone.now(),
    )
    return Status(201, escalation)


@router.post("/cases/{case_id}/over-heads", response=CaseOut, summary="Flag 越级投诉")
def case_over_heads(request: HttpRequest, case_id: int, payload: OverHeadsIn) -> Case:
    return services.case_flag_over_heads(
        actor=actor_of(request), case=_case(request, case_id), note=payload.note, at=timezone.now()
    )


@router.post("/cases/{case_id}/transfer", response={201: TransferOut})
def case_transfer(request: HttpRequest, case_id: int, payload: TransferIn) -> Status[Any]:
    department = get_object_or_404(Department, code=payload.department)
    transfer = services.case_transfer(
        actor=actor_of(request),
        case=_case(request, case_id),
        to_department=department,
        why=payload.why,
        next_steps=payload.next_steps,
        expected_by=payload.expected_by,
        at=timezone.now(),
    )
    return Status(201, transfer)


@router.post("/cases/{case_id}/merge", response=CaseOut, summary="Merge this case into another")
def case_merge(request: HttpRequest, case_id: int, payload: MergeIn) -> Case:
    actor = actor_of(request)
    target = selectors.access_case_by_reference(actor, payload.into)
    return services.case_merge(
        actor=actor, source=_case(request, case_id), target=target, at=timezone.now()
    )


@router.post("/cases/{case_id}/links", response={201: dict[str, str]})
def case_link(request: HttpRequest, case_id: int, payload: LinkIn) -> Status[Any]:
    actor = actor_of(request)
    other = selectors.access_case_by_reference(actor, payload.reference)
    link = services.case_link(
        actor=actor, case=_case(request, case_id), other=other, kind=payload.kind, at=timezone.now()
    )
    return Status(201, {"from": link.from_case.reference, "to": other.reference, "kind": link.kind})


@router.get("/cases/{case_id}/commitments", response=list[CommitmentOut])
def commitment_list(request: HttpRequest, case_id: int) -> list[Commitment]:
    return list(_case(request, case_id).commitments.select_related("owner"))


@router.post("/cases/{case_id}/commitments", response={201: CommitmentOut})
def commitment_create(request: HttpRequest, case_id: int, payload: CommitmentIn) -> Status[Any]:
    commitment = services.commitment_create(
        actor=actor_of(request),
        case=_case(request, case_id),
        what=payload.what,
        due_at=payload.due_at,
        owner=_user(payload.owner) if payload.owner else None,
        at=timezone.now(),
    )
    return Status(201, commitment)


@router.post("/commitments/{commitment_id}/close", response=CommitmentOut)
def commitment_close(
    request: HttpRequest, commitment_id: int, payload: CommitmentCloseIn
) -> Commitment:
    commitment = get_object_or_404(Commitment, pk=commitment_id)
    _case(request, commitment.case_id)
    return services.commitment_close(
        actor=actor_of(request), commitment=commitment, status=payload.status, at=timezone.now()
    )


@router.get("/commitments/kept-rates", response=list[KeptRateOut])
def kept_rates(request: HttpRequest, by: str = "owner") -> list[selectors.KeptRate]:
    return selectors.commitment_kept_rates(actor=actor_of(request), by=by)


@router.post("/cases/{case_id}/compensations", response={201: CompensationOut})
def compensation_offer(request: HttpRequest, case_id: int, payload: CompensationIn) -> Status[Any]:
    offer = services.compensation_offer(
        actor=actor_of(request),
        case=_case(request, case_id),
        kind=payload.kind,
        amount=payload.amount,
        reason=payload.reason,
        at=timezone.now(),
    )
    return Status(201, offer)


@router.post("/compensations/{offer_id}/decide", response=CompensationOut)
def compensation_decide(
    request: HttpRequest, offer_id: int, payload: DecideIn
) -> CompensationOffer:
    offer = get_object_or_404(CompensationOffer, pk=offer_id)
    _case(request, offer.case_id)
    return services.compensation_decide(
        actor=actor_of(request), offer=offer, approve=payload.approve, at=timezone.now()
    )


@router.get("/reply-templates", response=list[TemplateOut])
def template_list(request: HttpRequest) -> list[ReplyTemplate]:
    return list(ReplyTemplate.objects.filter(is_active=True))


@router.get("/reply-templates/{template_id}/render", response=RenderedOut)
def template_render(request: HttpRequest, template_id: int, case: int) -> dict[str, str]:
    template = get_object_or_404(ReplyTemplate, pk=template_id, is_active=True)
    text, language = workspace.reply_template_render(
        template=template, case=_case(request, case), agent=actor_of(request)
    )
    return {"text": text, "language": language}


@router.get("/saved-views", response=list[SavedViewOut])
def saved_views(request: HttpRequest) -> list[SavedView]:
    return list(SavedView.objects.filter(owner=actor_of(request)))


@router.post("/saved-views", response={201: SavedViewOut})
def saved_view_save(request: HttpRequest, payload: SavedViewIn) -> Status[Any]:
    view = workspace.saved_view_save(
        actor=actor_of(request), name=payload.name, filters=dict(payload.filters)
    )
    return Status(201, view)


@router.get("/sla-policies", response=list[SlaPolicyOut])
def sla_policies(request: HttpRequest) -> list[SlaPolicy]:
    return list(SlaPolicy.objects.all())


@router.post("/sla-policies", response={201: SlaPolicyOut})
def sla_policy_save(request: HttpRequest, payload: SlaPolicyIn) -> Status[Any]:
    policy = workspace.sla_policy_save(actor=actor_of(request), at=timezone.now(), **payload.dict())
    return Status(201, policy)
