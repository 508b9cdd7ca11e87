"""The core router: who am I, staff, departments and teams, the audit log, the calendar."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kefu.core import calendar as business_calendar
from kefu.core import selectors, services
from kefu.core.calendar_overrides import holiday_region
from kefu.core.errors import DomainError
from kefu.core.models import ApiToken, AuditEntry, Department, Team, User
from kefu.core.pagination import BoundedLimitOffsetPagination
from kefu.core.requests import request_user as actor_of
from kefu.core.schemas import (
    AuditOut,
    AuditQuery,
    DepartmentOut,
    DueOut,
    DueQuery,
    MePatch,
    TeamOut,
    UserOut,
)

router = Router(tags=["core"])


class CalendarErrorCode(StrEnum):
    INVALID_CALENDAR = "invalid_calendar"


@router.get("/me", response=UserOut, summary="The signed-in user")
def me(request: HttpRequest) -> User:
    return actor_of(request)


@router.patch("/me", response=UserOut, summary="Change the signed-in user's language")
def me_update(request: HttpRequest, payload: MePatch) -> User:
    return services.user_set_language(
        actor=actor_of(request), language=payload.language, at=timezone.now()
    )


@router.get("/users", response=list[UserOut], summary="Active staff")
@paginate(BoundedLimitOffsetPagination)
def users(request: HttpRequest) -> list[User]:
    return selectors.user_list(actor=actor_of(request))  # type: ignore[return-value]


@router.get("/departments", response=list[DepartmentOut])
def departments(request: HttpRequest) -> list[Department]:
    return list(selectors.department_list())


@router.get("/teams", response=list[TeamOut])
def teams(request: HttpRequest) -> list[Team]:
    return list(selectors.team_list())


@router.get("/audit", response=list[AuditOut], summary="The audit log (managers)")
@paginate(BoundedLimitOffsetPagination)
def audit(request: HttpRequest, filters: Query[AuditQuery]) -> list[AuditEntry]:
    return selectors.audit_list(  # type: ignore[return-value]
        actor=actor_of(request), filters=selectors.AuditFilter(**filters.dict())
    )


@router.get("/calendar/due", response=DueOut, summary="Add working time on the business calendar")
def calendar_due(request: HttpRequest, query: Query[DueQuery]) -> dict[str, object]:
    try:
        plain = business_calendar.BusinessCalendar.from_text(
            hours=query.day, region=query.region, weekdays=query.weekdays
        )
        cal = business_calendar.BusinessCalendar(
            hours=plain.hours,
            region=holiday_region(query.region),
            weekdays=plain.weekdays,
            tz=plain.tz,
        )
        start = query.start
        if timezone.is_naive(start):
            start = start.replace(tzinfo=cal.tz)
        due = cal.add_working_time(start, timedelta(minutes=query.working_minutes))
    except business_calendar.CalendarError as exc:
        raise DomainError(
            CalendarErrorCode.INVALID_CALENDAR, _("%(reason)s"), reason=str(exc)
        ) from exc
    return {"due_at": due}


class TokenOut(Schema):
    prefix: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


@router.get("/tokens", response=list[TokenOut], summary="The signed-in user's API tokens")
def tokens(request: HttpRequest) -> list[ApiToken]:
    """Never the secrets: only what names a token (its prefix) and its dates."""
    return list(actor_of(request).api_tokens.all())


@router.post(
    "/tokens/{prefix}/revoke",
    response=TokenOut,
    summary="Revoke an API token (its owner, or a token manager)",
)
def token_revoke(request: HttpRequest, prefix: str) -> ApiToken:
    """The token answers 401 from its next request on; revoking twice changes nothing."""
    return services.api_token_revoke_by_prefix(
        actor=actor_of(request), prefix=prefix, at=timezone.now()
    )
