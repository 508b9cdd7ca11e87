"""Seed a scratch kefu database for the process-level tests and the load script.

Run as ``python -m tests.ops.seed WHAT '{"option": ...}'`` with the topology's
environment (its ``KEFU_DATABASE_URL``); prints one line of JSON. WHAT is
``staff`` (a 24x7 team, two agents and a lead with API tokens, an SLA policy)
or ``contacts`` (``count`` contacts reachable on the given ``channels``) or
``promises`` (a case with a promise whose reminder is due now, per contact) or
``incident`` (a confirmed stoppage notifying the given ``contacts``, with the
draft of its next update written and waiting to go out on its own).
"""

from __future__ import annotations

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def staff(options: dict[str, object]) -> dict[str, object]:
    from django.utils import timezone

    from kefu.cases.models import SlaPolicy
    from kefu.core import services
    from kefu.core.models import Department, Team
    from kefu.core.roles import Role
    from tests.core.factories import make_staff

    department, _created = Department.objects.get_or_create(
        code="service", defaults={"name": "客服中心"}
    )
    # Around the clock and no holidays, so SLA targets fall due in real time.
    team, _created = Team.objects.update_or_create(
        department=department,
        name="全天组",
        defaults={"working_hours": "00:00-24:00", "working_days": "1-7", "calendar_region": "none"},
    )
    Team.objects.exclude(pk=team.pk).filter(department=department).delete()
    SlaPolicy.objects.update(is_active=False)
    SlaPolicy.objects.create(
        name="ops",
        first_response_minutes=int(str(options.get("first_response_minutes", 0))),
        next_update_minutes=None,
        resolution_minutes=600,
    )
    now = timezone.now()
    tokens: dict[str, str] = {}
    agents = int(str(options.get("agents", 2)))
    people = [(f"agent{n}", Role.AGENT) for n in range(1, agents + 1)]
    people.append(("lead", Role.TEAM_LEAD))
    for username, role in people:
        user = make_staff(username=username, role=role, department=department, team=team)
        tokens[username] = services.api_token_create(
            actor=None, user=user, name="ops", at=now
        ).secret
    return {"tokens": tokens, "department": department.pk, "team": team.pk}


def contacts(options: dict[str, object]) -> dict[str, object]:
    from django.utils import timezone

    from kefu.customers.models import Contact, Organisation

    count = int(str(options.get("count", 10)))
    channels = list(options.get("channels", ["sms"]))  # type: ignore[call-overload]
    prefix = str(options.get("prefix", "c"))
    now = timezone.now()
    organisation = Organisation.objects.create(name=f"客户公司-{prefix}", created_at=now)
    rows = Contact.objects.bulk_create(
        Contact(
            organisation=organisation,
            name=f"客户{prefix}{n}",
            email=f"{prefix}{n}@customer.example" if "email" in channels else "",
            phone=f"139{n:08d}",
            im_handle=f"wx_{prefix}{n}" if "chat" in channels else "",
            language="zh-hans",
            preferred_channels=channels,
            created_at=now,
        )
        for n in range(count)
    )
    return {"contacts": [c.pk for c in rows], "organisation": organisation.pk}


def promises(options: dict[str, object]) -> dict[str, object]:
    """``count`` open cases, each with a promise whose reminder is due now."""
    from datetime import timedelta

    from django.utils import timezone

    from kefu.cases.services import case_open, commitment_create
    from kefu.core.models import User
    from kefu.customers.models import Contact

    agent = User.objects.get(username="agent1")
    now = timezone.now()
    made = []
    for contact in Contact.objects.order_by("pk")[: int(str(options.get("count", 10)))]:
        case = case_open(
            actor=agent, contact=contact, subject="回电", body="请回电。", channel="sms", at=now
        )
        made.append(
            commitment_create(
                actor=agent, case=case, what="明天回电", due_at=now + timedelta(minutes=30), at=now
            ).pk
        )
    return {"commitments": made}


def incident(options: dict[str, object]) -> dict[str, object]:
    """A stoppage confirmed by the lead for ``contacts`` (its first notice queued for them),
    and the draft of its next update written as the clock does at the update's due time
    (nobody sends it, so the clock's auto-send job sends it as written)."""
    from django.utils import timezone

    from kefu.core.models import User
    from kefu.customers.models import Contact
    from kefu.incidents.models import Incident
    from kefu.incidents.services import (
        incident_confirm,
        incident_create,
        incident_pick_affected,
        update_draft_due,
    )

    lead = User.objects.get(username="lead")
    now = timezone.now()
    made = incident_create(
        actor=lead,
        title="三号楼停工",
        kind=Incident.Kind.CLIENT_FUNDING,
        cause="甲方付款审批未完成",
        started_at=now,
        expected_from=timezone.localdate(now),
        at=now,
    )
    wanted = [int(str(c)) for c in list(options.get("contacts", []))]  # type: ignore[call-overload]
    incident_pick_affected(actor=lead, incident=made, contacts=wanted, at=now)
    first = incident_confirm(actor=lead, incident=made, at=now)
    made.refresh_from_db()
    assert made.next_update_due_at is not None
    draft = update_draft_due(incident=made, due=made.next_update_due_at, at=now)
    assert draft is not None
    phones = dict(Contact.objects.filter(pk__in=wanted).values_list("pk", "phone"))
    return {
        "incident": made.pk,
        "first_notice": first.pk,
        "first_body": first.body_zh,
        "update_notice": draft.pk,
        "update_body": draft.body_zh,
        "phones": {str(pk): phone for pk, phone in phones.items()},
    }


def main() -> None:
    what = sys.argv[1]
    options = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    _setup()
    seeds = {"staff": staff, "contacts": contacts, "promises": promises, "incident": incident}
    result = seeds[what](options)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
