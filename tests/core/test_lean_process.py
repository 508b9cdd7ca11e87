"""A web worker and a mail pipe stay lean: loading the URLconf, the API and the
`kefu ingest-email` command must not import OR-Tools, pandas, numpy, statsmodels or
scipy (only the worker that solves a schedule and the command that forecasts need
them), and the mail pipe skips the system checks that would load the URLconf."""

from __future__ import annotations

from pathlib import Path

from tests.probe import fresh_process_json

HEAVY = ("ortools", "pandas", "numpy", "statsmodels", "scipy")

PROBE = f"""
import json, sys, django
django.setup()
from django.urls import resolve
resolve("/")
import kefu.api, kefu.wsgi
from kefu.channels.management.commands import ingest_email
print(json.dumps({{
    "heavy": sorted(m for m in {HEAVY!r} if m in sys.modules),
    "pipe_checks": list(ingest_email.Command.requires_system_checks),
}}))
"""


def test_urlconf_api_and_mail_pipe_load_without_heavy_libraries(tmp_path: Path) -> None:
    assert fresh_process_json(PROBE, tmp_path) == {"heavy": [], "pipe_checks": []}


START_UP = """
import json, sys, django
django.setup()
from django.contrib import admin
from kefu.cases.models import SlaPolicy
from kefu.core import clock
at_start = {
    "clocks": sorted(m for m in sys.modules if m.endswith("clocks")),
    "admin_has_sla_policy": admin.site.is_registered(SlaPolicy),
}
handler = clock.handler_for("incidents.update_due")
from django.urls import reverse
reverse("admin:index")
print(json.dumps({
    **at_start,
    "handler_after_lookup": getattr(handler, "__module__", None),
    "admin_has_sla_policy_after_urlconf": admin.site.is_registered(SlaPolicy),
}))
"""


def test_start_up_leaves_clock_handlers_and_admin_modules_until_needed(tmp_path: Path) -> None:
    """django.setup() imports no app's clock handlers (only routing and automation
    register theirs in ready()) and no admin module; the first handler lookup and the
    URLconf load them."""
    assert fresh_process_json(START_UP, tmp_path) == {
        "clocks": ["kefu.automation.clocks", "kefu.routing.clocks"],
        "admin_has_sla_policy": False,
        "handler_after_lookup": "kefu.incidents.clocks",
        "admin_has_sla_policy_after_urlconf": True,
    }
