"""The demo's internal customers (内部客户): staff of other departments who asked the
service centre, or asked engineering, for help, so "My requests" and the insights'
audience tabs have something to show on day one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.cases.models import Case
from kefu.cases.services.cases import case_reply
from kefu.cases.services.internal import internal_case_open
from kefu.core.models import Department, User
from kefu.demo.names import ENGINEERING, FINANCE, SERVICE


@dataclass(frozen=True)
class _Request:
    requester: str  # username
    department: str  # DepartmentSpec.code
    category: str
    hours_before: int  # before 09:30 on the demo's day: every one lies before its midnight
    subject: str
    body: str
    answered_by: str = ""  # username of the agent who replied, if anyone did
    answer: str = ""


REQUESTS: tuple[_Request, ...] = (
    _Request(
        "manager.liuqiang",
        SERVICE,
        Case.Category.INTERNAL_REQUEST,
        40,
        "请协助回访 3 号楼渗水维修的业主",
        "上周五 3 号楼 1202 的渗水已经修好，麻烦客服中心本周内回访业主，"
        "确认卫生间地面是否还有返潮，结果请在这里告诉我们。",
        "agent.wangfang",
        "收到，我们明天上午回访，回访结果会在这里更新给工程部。",
    ),
    _Request(
        "manager.xumin",
        SERVICE,
        Case.Category.INTERNAL_SUPPORT,
        20,
        "补偿款发放名单需要核对",
        "财务部准备发放上月停水的补偿款，名单里有两户的联系电话对不上，请客服中心帮忙核对。",
    ),
    _Request(
        "lead.zhaolei",
        ENGINEERING,
        Case.Category.INTERNAL_REQUEST,
        16,
        "客户询问维修师傅上门时间",
        "热线接到 5 号楼业主来电，想确认明天上门维修的大概时间段，请工程部给一个时间窗口。",
    ),
    _Request(
        "manager.chenjing",
        FINANCE,
        Case.Category.INTERNAL_REQUEST,
        30,
        "投诉升级后的退款进度",
        "一位投诉升级的客户已批准退款，客户每天来电询问进度，请财务部告知预计到账日期。",
    ),
)


def requests_demo_load(*, at: datetime) -> int:
    """Raise the demo's internal requests once (nothing when any internal case exists)."""
    if Case.objects.filter(category__in=[r.category for r in REQUESTS]).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    departments = {d.code: d for d in Department.objects.all()}
    raised = 0
    for spec in REQUESTS:
        requester, department = users.get(spec.requester), departments.get(spec.department)
        if requester is None or department is None:
            continue
        opened_at = at - timedelta(hours=spec.hours_before)
        case = internal_case_open(
            actor=requester,
            department=department,
            category=spec.category,
            subject=spec.subject,
            body=spec.body,
            at=opened_at,
        )
        agent = users.get(spec.answered_by)
        if agent is not None:
            case_reply(actor=agent, case=case, body=spec.answer, at=opened_at + timedelta(hours=2))
        raised += 1
    return raised
