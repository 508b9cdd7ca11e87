"""Every API operation and every page, for every role, anonymous and a customer with a
survey link: who may, who is refused, who is sent to sign in. Never a 5xx.

The tables are enumerated against the OpenAPI schema and the URL resolver: a new
endpoint or page without an expectation fails ``test_tables_cover_*``.

Codes, one per column of ``COLUMNS`` (anonymous, agent, team lead, QA inspector,
real-time analyst, department manager, administrator):
``A`` allowed (2xx, or a 4xx other than 401/403/404: the request got past the
permission check and was judged on its content), ``F`` forbidden (403),
``N`` hidden (404: the record is not shown to this user), ``U`` 401 (API without
a token), ``L`` sent to the sign-in page, ``M`` GET not allowed (405: a POST-only
action; its POST is covered by the services' own tests).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from kefu.core.clocks import CLOCK_HEARTBEAT
from kefu.core.models import ScheduledJob, User
from tests.security import matrix_apps
from tests.security.matrix_world import COLUMNS, World, api_operations, build_world, fill, pages

Bearer = Callable[[User], dict[str, str]]

# fmt: off
API: dict[str, str] = {
    "GET /api/v1/me": "UAAAAAA",
    "PATCH /api/v1/me": "UAAAAAA",
    "GET /api/v1/users": "UFAAAAA",
    "GET /api/v1/departments": "UAAAAAA",
    "GET /api/v1/teams": "UAAAAAA",
    "GET /api/v1/audit": "UFFFFAA",
    "GET /api/v1/calendar/due": "UAAAAAA",
    "GET /api/v1/tokens": "UAAAAAA",
    "POST /api/v1/tokens/{prefix}/revoke": "UNNNNNN",
    "GET /api/v1/organisations": "UAAAAAA",
    "POST /api/v1/organisations": "UAAAAAA",
    "GET /api/v1/organisations/{organisation_id}": "UAAAAAA",
    "PATCH /api/v1/organisations/{organisation_id}": "UAAFFAA",
    "GET /api/v1/organisations/{organisation_id}/timeline": "UAAAAAA",
    "GET /api/v1/contacts": "UAAAAAA",
    "POST /api/v1/contacts": "UAAAAAA",
    "GET /api/v1/contacts/{contact_id}": "UAAAAAA",
    "PATCH /api/v1/contacts/{contact_id}": "UAAFFAA",
    "POST /api/v1/contacts/{contact_id}/reveal": "UFAFFAA",
    "GET /api/v1/contacts/{contact_id}/timeline": "UAAAAAA",
    "GET /api/v1/projects": "UAAAAAA",
    "POST /api/v1/projects": "UAAAAAA",
    "PATCH /api/v1/projects/{project_id}": "UNNNNNN",
    "POST /api/v1/customers/import": "UAAAAAA",
    "GET /api/v1/customers/export": "UAAAAAA",
    "GET /api/v1/cases": "UAAFFAA",
    "POST /api/v1/cases": "UAAAAAA",
    "GET /api/v1/cases/{case_id}": "UAAFFAA",
    "PATCH /api/v1/cases/{case_id}": "UAAAAAA",
    "GET /api/v1/cases/{case_id}/messages": "UAAFFAA",
    "GET /api/v1/cases/{case_id}/events": "UAAFFAA",
    "POST /api/v1/cases/{case_id}/replies": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/notes": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/messages/{message_id}/resend": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/status": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/assign": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/watch": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/escalate": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/over-heads": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/transfer": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/merge": "UAAAAAA",
    "POST /api/v1/cases/{case_id}/links": "UAAAAAA",
    "GET /api/v1/cases/{case_id}/commitments": "UAAFFAA",
    "POST /api/v1/cases/{case_id}/commitments": "UAAAAAA",
    "POST /api/v1/commitments/{commitment_id}/close": "UAAAAAA",
    "GET /api/v1/commitments/kept-rates": "UFAAAAA",
    "POST /api/v1/cases/{case_id}/compensations": "UAAAAAA",
    "POST /api/v1/compensations/{offer_id}/decide": "UAAAAAA",
    "GET /api/v1/reply-templates": "UAAAAAA",
    "GET /api/v1/reply-templates/{template_id}/render": "UAAAAAA",
    "GET /api/v1/saved-views": "UAAAAAA",
    "POST /api/v1/saved-views": "UAAAAAA",
    "GET /api/v1/sla-policies": "UAAAAAA",
    "POST /api/v1/sla-policies": "UAAAAAA",
    "POST /api/v1/channels/chat/messages": "UUUUUUU",
    "POST /api/v1/channels/phone/calls": "UAAAAAA",
    "GET /api/v1/channels/phone/calls": "UAAAAAA",
    "GET /api/v1/channels/sms-templates": "UAAFFAA",
    "POST /api/v1/assist/analyze": "UAAAAAA",
    "GET /api/v1/incidents": "UAAFFAA",
    "POST /api/v1/incidents": "UAAAAAA",
    "GET /api/v1/incidents/{incident_id}": "UAAFFAA",
    "POST /api/v1/incidents/{incident_id}/affected": "UFAFFAA",
    "POST /api/v1/incidents/{incident_id}/confirm": "UFAFFAA",
    "GET /api/v1/incidents/{incident_id}/deliveries": "UAAFFAA",
    "GET /api/v1/incidents/{incident_id}/updates": "UAAFFAA",
    "POST /api/v1/incidents/{incident_id}/updates": "UFAFFAA",
    "POST /api/v1/incidents/{incident_id}/resume": "UAAAAAA",
    "POST /api/v1/workforce/history": "UFFFAAA",
    "POST /api/v1/workforce/erlang": "UAAAAAA",
    "GET /api/v1/workforce/schedules/{schedule_id}": "UFNNNNN",
    "GET /api/v1/workforce/my-schedule": "UAAAAAA",
    "POST /api/v1/workforce/schedules/{schedule_id}/publish": "UFNNNNN",
    "GET /api/v1/quality/insights": "UFAAAAA",
    "GET /api/v1/quality/alarms": "UFAAAAA",
    "POST /api/v1/quality/cases/{case_id}/qa-scores": "UAAAAAA",
    "GET /api/v1/quality/qa-scores/mine": "UAAAAAA",
    "POST /api/v1/quality/campaigns": "UAAAAAA",  # an empty body is refused (422) first
    "POST /api/v1/quality/campaigns/{campaign_id}/invite": "UFAAAAA",
    "GET /api/v1/quality/campaigns/{campaign_id}/results": "UFAAAAA",
    "GET /api/v1/floor/hands": "UFAAAAA",
    "POST /api/v1/floor/hands": "UAAFFAA",
    "POST /api/v1/floor/hands/{hand_id}/acknowledge": "UNNNNNN",
    "POST /api/v1/floor/hands/{hand_id}/close": "UNNNNNN",
    "GET /api/v1/floor/state": "UAAAAAA",
    "POST /api/v1/floor/state": "UAAAAAA",
    "POST /api/v1/floor/breaks": "UAAFFAA",
    "POST /api/v1/floor/breaks/end": "UAAFFAA",
    "GET /api/v1/floor/states": "UAAAAAA",
    "GET /api/v1/floor/special-breaks": "UAAAAAA",
    "GET /api/v1/floor/adherence": "UFAAAAA",
    "GET /api/v1/floor/leave": "UAAAAAA",
    "POST /api/v1/floor/leave": "UAAAAAA",
    "POST /api/v1/floor/leave/{leave_id}/decision": "UAAAAAA",
    "POST /api/v1/floor/leave/{leave_id}/cancel": "UNNNNNN",
    "GET /api/v1/floor/check-ins": "UFAAAAA",
    "POST /api/v1/floor/check-ins/{suggestion_id}/close": "UFNNNNN",
    "GET /api/v1/floor/intraday": "UFAAAAA",
    "GET /api/v1/floor/meal-alerts": "UFAAAAA",
    "POST /api/v1/floor/meal-alerts/{alert_id}/resolve": "UFFFNNN",
    "GET /api/v1/floor/meal-delays": "UFAAAAA",
    "POST /api/v1/floor/calls": "UAAAAAA",
    "POST /api/v1/floor/calls/import": "UAAAAAA",
    "GET /api/v1/people/retention": "UFAAAAA",
    "GET /api/v1/people/exits": "UFAAAAA",
    "POST /api/v1/people/exits": "UAAAAAA",
    "GET /api/v1/people/coaching": "UAAAAAA",
    "POST /api/v1/people/coaching": "UAAAAAA",
    "POST /api/v1/people/discipline": "UAAAAAA",
    "GET /api/v1/people/candidates": "UFAAAAA",
    "POST /api/v1/people/candidates": "UAAAAAA",
    "GET /api/v1/people/candidates/{candidate_id}": "UFNNNNN",
    "PATCH /api/v1/people/candidates/{candidate_id}": "UFNNNNN",
    "POST /api/v1/people/candidates/{candidate_id}/stage": "UAAAAAA",
    "POST /api/v1/people/candidates/{candidate_id}/reveal": "UFNNNNN",
    "GET /api/v1/people/{user_id}/history": "UAAAAAA",
    "POST /api/v1/people/{user_id}/career-events": "UAAAAAA",
}

PAGES: dict[str, str] = {
    "cases:queue": "LAAFFAA",
    "cases:summary": "LAAFFAA",
    "cases:saved_view_save": "MMMMMMM",
    "cases:case": "LAAAFAA",  # the QA inspector reads (tests/cases/test_case_read_only.py)
    # A file's view answers as its case page does (tests/cases/test_attachments.py);
    # the world has no file, so every signed-in role gets the same 404.
    "cases:attachment": "LNNNNNN",
    "cases:reply": "MMMMMMM",
    "cases:note": "MMMMMMM",
    "cases:status": "MMMMMMM",
    "cases:take": "MMMMMMM",
    "cases:escalate": "MMMMMMM",
    "cases:over_heads": "MMMMMMM",
    "cases:transfer": "MMMMMMM",
    "cases:commit": "MMMMMMM",
    "cases:commitment_close": "MMMMMMM",
    "cases:compensate": "MMMMMMM",
    "cases:compensation_decide": "MMMMMMM",
    "cases:template_text": "LAAFFAA",
    "cases:coach": "MMMMMMM",
    "cases:playbook_tick": "MMMMMMM",
    "cases:new": "LAAFFAA",
    "cases:contact_pick": "LAAAAAA",  # whoever may read contacts may find one
    "cases:bulk": "MMMMMMM",
    "cases:details": "MMMMMMM",
    "cases:assign": "MMMMMMM",
    "cases:assign_team": "MMMMMMM",
    "cases:merge": "MMMMMMM",
    "cases:link": "MMMMMMM",
    "cases:watch": "MMMMMMM",
    "cases:draft": "MMMMMMM",
    "cases:presence": "LAAFFAA",  # those who work cases see who else is on one
    "cases:resend": "MMMMMMM",
    "search": "LAAAAAA",
    "dev_outbox": "LNNNNNN",
    # WeCom's callback: signed by WeCom, not by a session; absent while WeChat is not set up.
    "wecom_kf_callback": "NNNNNNN",
    # The full notice behind an SMS link: the signed token is the proof (a forged one: 404).
    "full_notice": "NNNNNNN",
    "customers:organisation_list": "LAAAAAA",
    "customers:organisation": "LAAAAAA",
    "customers:contact_list": "LAAAAAA",
    "customers:contact": "LAAAAAA",
    "customers:contact_reveal": "MMMMMMM",
    "customers:import": "LFAFFAA",
    "customers:export": "LAAAAAA",
    "customers:organisation_new": "LAAFFAA",
    "customers:organisation_edit": "LAAFFAA",
    "customers:contact_new": "LAAFFAA",
    "customers:contact_edit": "LAAFFAA",
    "assist:index": "LAAAAAA",
    "incidents:index": "LAAFFAA",
    "incidents:measures": "LAAFFAA",
    "incidents:survey": "AAAAAAA",
    "incidents:evidence_file": "NNNNNNN",
    "incidents:incident": "LAAFFAA",
    "incidents:grid": "LAAFFAA",
    "incidents:pick": "MMMMMMM",
    "incidents:pick_search": "LFAFFAA",
    "incidents:confirm_preview": "LFAFFAA",
    "incidents:confirm": "MMMMMMM",
    "incidents:cancel": "MMMMMMM",
    "incidents:evidence": "MMMMMMM",
    "incidents:send_update": "MMMMMMM",
    "incidents:send_update_now": "MMMMMMM",
    "incidents:outreach_record": "MMMMMMM",
    "incidents:call_record": "MMMMMMM",
    "incidents:call_take": "MMMMMMM",
    "incidents:call_number": "MMMMMMM",
    "incidents:plan": "MMMMMMM",
    "incidents:impact": "MMMMMMM",
    "incidents:meeting": "MMMMMMM",
    "incidents:minutes": "MMMMMMM",
    "incidents:start_resumption": "MMMMMMM",
    "incidents:readiness_done": "MMMMMMM",
    "incidents:readiness_waive": "MMMMMMM",
    "incidents:resume": "MMMMMMM",
    "incidents:review": "LAAFFAA",
    "incidents:review_save": "MMMMMMM",
    "incidents:review_action": "MMMMMMM",
    "incidents:close_review": "MMMMMMM",
    "incidents:review_export": "LNNFFNN",
    "workforce:index": "LAAAAAA",
    "workforce:history": "LFFFAAA",
    "workforce:forecasts": "LFAAAAA",
    "workforce:forecast": "LFNNNNN",
    "workforce:forecast_req": "LFNNNNN",
    "workforce:schedules": "LFAAAAA",
    "workforce:schedule": "LFNNNNN",
    "workforce:schedule_status": "LFNNNNN",
    "workforce:schedule_publish": "MMMMMMM",
    "workforce:schedule_csv": "LFNNNNN",
    "workforce:schedule_agent_ics": "LFNNNNN",
    "workforce:my": "LAAAAAA",
    "workforce:my_ics": "LAAAAAA",
    "quality:index": "LAAAAAA",
    "quality:insights": "LFAAAAA",
    "quality:insights_csv": "LFAAAAA",
    "quality:insights_pdf": "LFAAAAA",
    "quality:survey": "AAAAAAA",
    "quality:campaign_answer": "AAAAAAA",
    "quality:campaigns": "LFAAAAA",
    "quality:campaign": "LFAAAAA",
    "quality:campaign_csv": "LFAAAAA",
    "quality:qa": "LFFAFAA",
    "quality:qa_mine": "LAAAAAA",
    "quality:qa_case": "LFFAFAA",
    "quality:calibration_open": "MMMMMMM",
    "quality:calibration": "LFFNFNN",
    "quality:servqual": "LFAAAAA",
    "quality:kano": "LFAAAAA",
    "quality:root_causes": "LFAAAAA",
    "quality:root_cause": "LFNNNNN",
    "quality:pareto": "LFAAAAA",
    "quality:alarms": "LFAAAAA",
    "quality:alarm": "LFNNNNN",
    "floor:index": "LAAAAAA",
    "floor:hands_live": "LFAAAAA",
    "floor:hand_raise": "MMMMMMM",
    "floor:hand_acknowledge": "MMMMMMM",
    "floor:hand_close": "MMMMMMM",
    "floor:state_change": "MMMMMMM",
    "floor:break_start": "MMMMMMM",
    "floor:break_end": "MMMMMMM",
    "floor:leave": "LAAAAAA",
    "floor:leave_decide": "MMMMMMM",
    "floor:leave_cancel": "MMMMMMM",
    "floor:suggestion_close": "MMMMMMM",
    "floor:intraday": "LFAAAAA",
    "floor:adherence": "LAAAAAA",
    "floor:meals": "LFAAAAA",
    "floor:meal_alert_resolve": "MMMMMMM",
    "floor:people": "LAAAAAA",
    "floor:person": "LAAAAAA",
    "floor:career_event": "MMMMMMM",
    "floor:coaching": "MMMMMMM",
    "floor:discipline": "MMMMMMM",
    "floor:exit_record": "MMMMMMM",
    "floor:candidates": "LFAAAAA",
    "floor:candidate": "LFNNNNN",
    "floor:candidate_stage": "MMMMMMM",
    "floor:candidate_reveal": "MMMMMMM",
    "core:home": "LAAAAAA",
    "core:login": "AAAAAAA",
    "core:logout": "MMMMMMM",
    "core:set_language": "MMMMMMM",
    "core:audit": "LFFFFAA",
    "core:healthz": "AAAAAAA",
}
# fmt: on

CUSTOMER_PAGES = {"quality:survey", "quality:campaign_answer", "incidents:survey"}

for _tables in matrix_apps.modules():
    API.update(getattr(_tables, "API", {}))
    PAGES.update(getattr(_tables, "PAGES", {}))
    CUSTOMER_PAGES |= set(getattr(_tables, "CUSTOMER_PAGES", ()))


def _api_code(status: int) -> str:
    assert status < 500
    return {401: "U", 403: "F", 404: "N", 405: "M"}.get(status, "A")


def _page_code(response: object) -> str:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500
    if status == 302 and "/login/" in response["Location"]:  # type: ignore[index]
        return "L"
    return {401: "U", 403: "F", 404: "N", 405: "M"}.get(status, "A")


@pytest.fixture
def world(db: None) -> World:
    built = build_world()
    for tables in matrix_apps.modules():
        if hasattr(tables, "extend_world"):
            tables.extend_world(built)
    return built


def test_tables_cover_every_api_operation_and_page() -> None:
    operations = {f"{method} {path}" for method, path in api_operations()}
    assert operations == set(API), "add the new API operations to API"
    assert {name for name, _route in pages()} == set(PAGES), "add the new pages to PAGES"


def test_api_matrix(world: World, bearer_for: Bearer) -> None:
    wrong: dict[str, tuple[str, str]] = {}
    for column, role in enumerate(COLUMNS):
        headers = {} if role == "anonymous" else bearer_for(world.users[str(role)])
        client = Client()
        for method, template in api_operations():
            body = "{}" if method in ("POST", "PATCH", "PUT") else ""
            response = client.generic(
                method,
                fill(template, world.values),
                body,
                content_type="application/json",
                headers=headers,
            )
            key = f"{method} {template}"
            expected, actual = API[key][column], _api_code(response.status_code)
            if expected != actual:
                wrong[f"{role} {key}"] = (expected, actual)
    assert not wrong, f"expected/actual: {wrong}"


def test_page_matrix(world: World) -> None:
    # A clock loop is running (its heartbeat is fresh), so /healthz is healthy: 200.
    now = timezone.now()
    ScheduledJob.objects.create(
        kind=CLOCK_HEARTBEAT, key=CLOCK_HEARTBEAT, due_at=now, last_run_at=now, repeat_seconds=30
    )
    wrong: dict[str, tuple[str, str]] = {}
    for column, role in enumerate(COLUMNS):
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[str(role)])
        for name, route in pages():
            response = client.get("/" + fill(route, world.values, name=name))
            expected, actual = PAGES[name][column], _page_code(response)
            if expected != actual:
                wrong[f"{role} {name}"] = (expected, actual)
    assert not wrong, f"expected/actual: {wrong}"


def test_customer_with_a_survey_link_reaches_only_the_survey_pages(
    world: World,
) -> None:
    customer = Client()
    for name in CUSTOMER_PAGES:
        route = dict(pages())[name]
        assert customer.get("/" + fill(route, world.values, name=name)).status_code == 200
    for name, route in pages():
        # The sign-in page and the health endpoint are public by design (docs/security.md).
        if name in CUSTOMER_PAGES or name in ("core:login", "core:healthz"):
            continue
        code = _page_code(customer.get("/" + fill(route, world.values, name=name)))
        assert code in ("L", "M", "N"), (name, code)  # N: a forged evidence token
    for method, template in api_operations():
        response = customer.generic(method, fill(template, world.values), "{}", "application/json")
        assert response.status_code == 401, (method, template)


def test_menu_shows_each_role_exactly_the_pages_it_may_open(world: World) -> None:
    """Every menu link a role sees answers 200 for it, and every entry it does not
    see is one PAGES refuses it (so nothing openable is hidden either)."""
    from kefu.core.navigation import NAVIGATION

    for column, role in enumerate(COLUMNS):
        if role == "anonymous":
            continue
        client = Client()
        client.force_login(world.users[str(role)])
        home = client.get("/")
        assert home.status_code == 200
        html = home.content.decode()
        shown = {item.url_name for item in NAVIGATION if f'href="{item.url}"' in html}
        for name in shown:
            url = next(item.url for item in NAVIGATION if item.url_name == name)
            # An agent's "People" is their own page (a redirect to it).
            assert client.get(url, follow=True).status_code == 200, (role, name)
        may_open = {item.url_name for item in NAVIGATION if PAGES[item.url_name][column] == "A"}
        assert shown == may_open, (role, shown ^ may_open)
