"""The demo's case history: about 120 days of cases with their conversations.

Volume follows the week (quiet weekends, quieter statutory holidays). Old cases
are closed; the last days hold the open work a team would find in its queue.
Every timestamp lies before midnight at the start of ``today``, so nothing is in
the future whatever the time of day the demo is loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import chinese_calendar

from kefu.cases import search
from kefu.cases.models import Case, Message
from kefu.core.models import Department, Team, User
from kefu.customers.models import Contact, Project
from kefu.demo import names, texts, texts_en, texts_it
from kefu.demo.clients import Client
from kefu.demo.events import events_save
from kefu.demo.staff import Staff
from kefu.demo.texts import Topic

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 120
_WEEKDAY_VOLUME = (9.0, 8.0, 7.5, 7.5, 7.0, 3.5, 2.5)
_TIER_WEIGHT = {"strategic": 4.0, "key": 2.5, "standard": 1.0}
_HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
_HOUR_WEIGHTS = (1, 3, 9, 10, 9, 3, 6, 9, 9, 8, 6, 3, 2, 2, 1, 1)
_CHANNELS = ("phone", "chat", "email", "sms")
_CHANNEL_WEIGHTS = (40, 25, 25, 10)
_PRIORITIES = ("low", "normal", "high", "urgent")
# Minutes until the first answer, by priority.
_RESPONSE_MINUTES = {"urgent": (3, 30), "high": (10, 90), "normal": (15, 240), "low": (60, 600)}
_RESOLVE_HOURS = {"urgent": (1, 8), "high": (3, 30), "normal": (5, 72), "low": (12, 120)}
# The agent the demo's agent login opens the desk as: a share of the recent
# hotline work is hers, so her queue holds several current cases on any day.
FEATURED_AGENT = "agent.wangfang"
_FEATURED_DAYS = 5
_FEATURED_SHARE = 0.6


def _target_status(rng: random.Random, age_days: int) -> str:
    """A status that fits a case opened ``age_days`` ago."""
    # Few cases stay open for long: the ones that do are the queue's overdue handful.
    if age_days >= 15:
        table = {"closed": 89, "resolved": 9.5, "waiting_customer": 1, "waiting_department": 0.5}
    elif age_days >= 6:
        table = {
            "closed": 45,
            "resolved": 30,
            "waiting_customer": 10,
            "waiting_department": 7,
            "open": 8,
        }
    elif age_days >= 2:
        table = {
            "closed": 8,
            "resolved": 25,
            "waiting_customer": 20,
            "waiting_department": 12,
            "open": 27,
            "new": 8,
        }
    else:
        table = {
            "resolved": 5,
            "waiting_customer": 10,
            "waiting_department": 5,
            "open": 40,
            "new": 40,
        }
    return rng.choices(list(table), list(table.values()))[0]


def _steps(rng: random.Random, status: str) -> list[str]:
    """The conversation's shape: message kinds in order, ending as ``status`` implies."""
    if status == "new":
        return ["open", rng.choice(["chase", "triage"])]
    steps = ["open", "reply"]
    middle = rng.choice([[], [], ["chase", "update"], ["note"], ["chase", "update", "note"]])
    if status == "open":
        return steps + rng.choice([[], ["chase"], ["note"], ["chase", "update"]])
    if status == "waiting_customer":
        return steps + middle[:2] + ["ask"]
    if status == "waiting_department":
        return [*steps, "handover", *rng.choice([[], ["update"]])]
    return [*(steps + middle)[:5], "resolve"]


@dataclass(frozen=True)
class _Routing:
    department: Department
    team: Team
    owner: User | None
    lead: User | None


class _History:
    def __init__(self, *, rng: random.Random, today: date, staff: Staff) -> None:
        self.rng = rng
        self.today = today
        self.cutoff = datetime.combine(today, time(0), tzinfo=SHANGHAI)
        self.staff = staff
        users = staff.users
        self.members: dict[tuple[str, str], list[User]] = {}
        self.leads: dict[tuple[str, str], User] = {}
        self.english_names: dict[int, str] = {}
        self.team_of: dict[int, tuple[str, str]] = {}
        for spec in names.STAFF:
            if spec.team is None:
                continue
            key = (spec.department, spec.team)
            self.team_of[users[spec.username].pk] = key
            if spec.role == "team_lead":
                self.leads[key] = users[spec.username]
            elif spec.role == "agent":
                self.members.setdefault(key, []).append(users[spec.username])
            if spec.english_name:
                self.english_names[users[spec.username].pk] = spec.english_name
        self.english_agents = [u for u in users.values() if u.pk in self.english_names]
        self.billing = [users["finance.songjia"]] * 4 + [users["manager.xumin"]]
        self.pools: dict[tuple[str, str, bool], tuple[list[Topic], list[float]]] = {}
        chinese = texts.TOPICS_ZH_RENOVATION + texts_it.TOPICS_ZH_IT
        for language, topics in (("zh-hans", chinese), ("en", texts_en.TOPICS_EN)):
            for domain in (texts.RENOVATION, texts.IT):
                for has_project in (False, True):
                    pool = [
                        topic
                        for topic in topics
                        if topic.domain in (domain, texts.ANY)
                        and (has_project or not topic.needs_project)
                    ]
                    cumulative = list(accumulate(float(topic.weight) for topic in pool))
                    self.pools[(language, domain, has_project)] = (pool, cumulative)

    # Time -----------------------------------------------------------------

    def created_at(self, day: date, channel: str) -> datetime:
        rng = self.rng
        hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
        if channel == "phone" and hour > 20:
            hour = 20
        return datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=SHANGHAI)

    def staff_time(self, moment: datetime) -> datetime:
        """``moment``, moved into the staff's day (08:30-20:30) where it falls outside."""
        local = moment.astimezone(SHANGHAI)
        minutes = local.hour * 60 + local.minute
        if minutes < 8 * 60 + 30:
            start = local.date()
        elif minutes > 20 * 60 + 30:
            start = local.date() + timedelta(days=1)
        else:
            return local
        opening = datetime.combine(start, time(8, 30), tzinfo=SHANGHAI)
        return opening + timedelta(minutes=self.rng.randrange(0, 90))

    def customer_time(self, moment: datetime) -> datetime:
        """``moment``, moved out of the night (23:00-07:00) to the next morning."""
        local = moment.astimezone(SHANGHAI)
        if 7 <= local.hour < 23:
            return local
        day = local.date() + timedelta(days=1 if local.hour >= 23 else 0)
        morning = datetime.combine(day, time(7, 30), tzinfo=SHANGHAI)
        return morning + timedelta(minutes=self.rng.randrange(0, 120))

    def step_time(self, kind: str, previous: datetime, priority: str) -> datetime:
        rng = self.rng
        if kind == "reply":
            low, high = _RESPONSE_MINUTES[priority]
            return self.staff_time(previous + timedelta(minutes=rng.randrange(low, high)))
        if kind == "chase":
            return self.customer_time(previous + timedelta(minutes=rng.randrange(60, 30 * 60)))
        if kind in ("update", "ask"):
            return self.staff_time(previous + timedelta(minutes=rng.randrange(60, 28 * 60)))
        if kind == "resolve":
            low, high = _RESOLVE_HOURS[priority]
            return self.staff_time(previous + timedelta(minutes=rng.randrange(low * 60, high * 60)))
        return self.staff_time(previous + timedelta(minutes=rng.randrange(5, 120)))

    # Choices --------------------------------------------------------------

    def route(self, *, topic: Topic, channel: str, created: datetime, contact: Contact) -> _Routing:
        routing = self._route(topic=topic, channel=channel, created=created, contact=contact)
        featured = self.staff.users.get(FEATURED_AGENT)
        recent = (self.today - created.date()).days <= _FEATURED_DAYS
        if featured is None or not recent or routing.owner is None:
            return routing
        home = self.team_of.get(featured.pk)
        here = self.team_of.get(routing.owner.pk)
        # The hotline's work (either of its teams) may go to her, with her team and lead.
        hotlines = {(names.SERVICE, names.HOTLINE_1), (names.SERVICE, names.HOTLINE_2)}
        if home is None or here not in hotlines or self.rng.random() >= _FEATURED_SHARE:
            return routing
        return _Routing(
            self.staff.departments[home[0]], self.staff.teams[home], featured, self.leads.get(home)
        )

    def _route(
        self, *, topic: Topic, channel: str, created: datetime, contact: Contact
    ) -> _Routing:
        rng = self.rng
        if topic.department == names.FINANCE and rng.random() < 0.7:
            key = (names.FINANCE, names.BILLING_TEAM)
            owner = rng.choice(self.billing)
        elif topic.department in (names.ENGINEERING, names.TECHNOLOGY) and rng.random() < 0.25:
            team = names.SITE_TEAM if topic.department == names.ENGINEERING else names.SUPPORT_TEAM
            key = (topic.department, team)
            owner = rng.choice(self.members[key])
        elif contact.language == "en" and rng.random() < 0.85:
            # Contacts writing in English are mostly served by the English-speaking agents.
            owner = rng.choice(self.english_agents)
            key = self.team_of[owner.pk]
        else:
            if topic.category in ("emotional_state", "contract_dispute") and rng.random() < 0.75:
                team = names.COMPLAINTS
            elif channel == "chat":
                team = names.ONLINE
            elif channel == "email":
                team = rng.choice([names.HOTLINE_2, names.ONLINE])
            elif created.hour >= 18:
                team = names.HOTLINE_2
            else:
                team = rng.choices([names.HOTLINE_1, names.HOTLINE_2], [55, 45])[0]
            key = (names.SERVICE, team)
            owner = rng.choice(self.members[key])
        return _Routing(
            self.staff.departments[key[0]], self.staff.teams[key], owner, self.leads.get(key)
        )

    def topic(self, language: str, client: Client) -> Topic:
        pool, cumulative = self.pools[(language, client.domain, bool(client.projects))]
        return self.rng.choices(pool, cum_weights=cumulative)[0]

    def project(self, topic: Topic, client: Client) -> Project | None:
        rng = self.rng
        if not client.projects or (not topic.needs_project and rng.random() < 0.6):
            return None
        if topic.category == "stoppage":
            stopped = [project for project in client.projects if project.status == "stopped"]
            if stopped:
                return rng.choice(stopped)
        live = [project for project in client.projects if project.status != "planned"]
        return rng.choice(live or client.projects)

    def priority(self, topic: Topic, client: Client) -> str:
        index = _PRIORITIES.index(topic.priority)
        roll = self.rng.random()
        if client.organisation.tier == "strategic" and roll < 0.35:
            index = min(index + 1, len(_PRIORITIES) - 1)
        elif index == 1 and roll < 0.08:
            index = 0
        elif index == 0 and roll < 0.1:
            index = 1
        return _PRIORITIES[index]

    def channel(self, contact: Contact) -> str:
        if contact.preferred_channels and self.rng.random() < 0.6:
            return str(contact.preferred_channels[0])
        return self.rng.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0]

    # One case -------------------------------------------------------------

    def case(self, day: date, client: Client) -> tuple[Case, list[Message]]:
        """An unsaved case opened on ``day`` by one of ``client``'s contacts, with its messages."""
        rng = self.rng
        contact = rng.choice(client.contacts)
        english = contact.language == "en"
        topic = self.topic(contact.language, client)
        project = self.project(topic, client)
        channel = self.channel(contact)
        created = self.created_at(day, channel)
        priority = self.priority(topic, client)
        routing = self.route(topic=topic, channel=channel, created=created, contact=contact)
        status = _target_status(rng, (self.today - day).days)
        kinds = _steps(rng, status)
        times = [created]
        for kind in kinds[1:]:
            times.append(self.step_time(kind, times[-1], priority))
        closed_at = None
        if status == "closed":
            closed_at = self.staff_time(times[-1] + timedelta(hours=rng.randrange(20, 72)))
        # Each step only moves forward in time, so cutting at the start of today
        # keeps a prefix of the conversation; the status follows what is left.
        kept = sum(1 for moment in times if moment < self.cutoff)
        kinds, times = kinds[:kept], times[:kept]
        if closed_at is not None and closed_at >= self.cutoff:
            closed_at, status = None, "resolved"
        required = {"resolved": "resolve", "closed": "resolve", "waiting_customer": "ask"}
        required["waiting_department"] = "handover"
        if status in required and required[status] not in kinds:
            status = "open"
        if "reply" not in kinds:
            status = "new"
        owner = routing.owner
        if status == "new" and rng.random() < 0.5:
            owner = None
        values = {
            "agent": self.signature(owner, english=english),
            "project": project.name if project else self.phrases(english).no_project,
            "when": rng.choice(self.phrases(english).when),
            "days": str(rng.choice([2, 3])),
            "contact": contact.name.split(" ", 1)[0] if english else contact.name,
        }
        subject = topic.subject
        if project is not None and client.domain == texts.RENOVATION and rng.random() < 0.4:
            subject += f" ({project.name})" if english else f"（{project.name}）"
        tags = list(topic.tags)
        if client.organisation.tier == "strategic" and rng.random() < 0.6:
            tags.append("重点客户")
        over_heads = topic.category == "emotional_state" and rng.random() < 0.25
        if over_heads:
            tags.append("越级投诉")
        confidential = rng.random() < (0.25 if topic.category == "contract_dispute" else 0.015)
        resolved_at = times[kinds.index("resolve")] if status in ("resolved", "closed") else None
        case = Case(
            subject=subject,
            organisation=client.organisation,
            contact=contact,
            project=project,
            channel=channel,
            category=topic.category,
            priority=priority,
            status=status,
            owner=owner,
            team=routing.team,
            department=routing.department,
            tags=tags,
            is_confidential=confidential,
            # A customer who went over the heads of the handlers is taken up by the team lead.
            is_over_heads=over_heads,
            escalation_level=1 if over_heads and status != "new" else 0,
            created_at=created,
            updated_at=max(times[-1], closed_at or times[-1]),
            first_response_at=times[kinds.index("reply")] if "reply" in kinds else None,
            resolved_at=resolved_at,
            closed_at=closed_at,
        )
        messages = [
            self.message(case, kind, moment, topic=topic, routing=routing, values=values)
            for kind, moment in zip(kinds, times, strict=True)
        ]
        # Indexed as the case services index it: the subject and every message, notes included.
        text = "\n".join([subject, *(message.body for message in messages)])
        case.search_terms = search.merge_terms("", text)
        return case, messages

    def signature(self, owner: User | None, *, english: bool) -> str:
        if owner is None:
            return ""
        return (
            self.english_names.get(owner.pk, owner.display_name) if english else owner.display_name
        )

    def phrases(self, english: bool) -> _Phrases:
        return _ENGLISH if english else _CHINESE

    def message(
        self,
        case: Case,
        kind: str,
        moment: datetime,
        *,
        topic: Topic,
        routing: _Routing,
        values: dict[str, str],
    ) -> Message:
        rng = self.rng
        english = case.contact.language == "en"
        phrases = self.phrases(english)
        direction, author, contact = Message.Direction.OUTBOUND, case.owner, None
        if kind == "open":
            body = rng.choice(topic.opening)
        elif kind == "chase":
            answered = case.first_response_at is not None and moment > case.first_response_at
            body = (
                topic.follow_up if answered and rng.random() < 0.6 else rng.choice(phrases.chasers)
            )
        elif kind == "reply":
            body = rng.choice(phrases.greetings) + topic.reply
        elif kind == "update":
            body = rng.choice(phrases.updates)
        elif kind == "ask":
            body = rng.choice(phrases.asks)
        elif kind == "resolve":
            body = topic.resolution + rng.choice(phrases.closings)
        elif kind == "triage":
            body, author = texts.NOTES_ZH[-1], routing.lead or case.owner
        else:  # an internal note, or handing the work to another department
            body = topic.note if rng.random() < 0.7 else rng.choice(phrases.notes)
            if kind == "handover":
                body = f"{topic.note} {phrases.handover}"
            elif routing.lead is not None and rng.random() < 0.3:
                author = routing.lead
        if kind in ("open", "chase"):
            direction, author, contact = Message.Direction.INBOUND, None, case.contact
        elif kind in ("note", "triage", "handover"):
            direction = Message.Direction.NOTE
        return Message(
            case=case,
            direction=direction,
            channel=case.channel,
            author=author,
            contact=contact,
            body=body.format_map(values),
            created_at=moment,
        )


@dataclass(frozen=True)
class _Phrases:
    greetings: tuple[str, ...]
    asks: tuple[str, ...]
    updates: tuple[str, ...]
    chasers: tuple[str, ...]
    closings: tuple[str, ...]
    notes: tuple[str, ...]
    when: tuple[str, ...]
    no_project: str
    handover: str


_CHINESE = _Phrases(
    texts.GREETINGS_ZH,
    texts.ASKS_ZH,
    texts.UPDATES_ZH,
    texts.CHASERS_ZH,
    texts.CLOSINGS_ZH,
    texts.NOTES_ZH[:2],
    texts.WHEN_ZH,
    texts.NO_PROJECT_ZH,
    "已转相关部门跟进，已告知客户流转原因和预计答复时间。",
)
_ENGLISH = _Phrases(
    texts_en.GREETINGS_EN,
    texts_en.ASKS_EN,
    texts_en.UPDATES_EN,
    texts_en.CHASERS_EN,
    texts_en.CLOSINGS_EN,
    texts_en.NOTES_EN,
    texts_en.WHEN_EN,
    texts_en.NO_PROJECT_EN,
    "Passed to the department concerned; client told why and when to expect an answer.",
)


def _daily_volume(day: date) -> float:
    try:
        holiday = chinese_calendar.is_holiday(day)
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar does not cover yet
        holiday = workday = False
    if holiday and day.weekday() < 5:
        return 3.0
    if workday and day.weekday() >= 5:  # a make-up working day (调休)
        return _WEEKDAY_VOLUME[4]
    return _WEEKDAY_VOLUME[day.weekday()]


Draft = tuple[Case, list[Message]]


def history_draft(
    *, rng: random.Random, today: date, staff: Staff, clients: list[Client]
) -> list[Draft]:
    """The unsaved cases and messages of the ``HISTORY_DAYS`` days before ``today``.

    Deterministic in ``rng``, ``today`` and the order of ``clients``; each client
    must have a contact. Each case's messages are in order of time.
    """
    history = _History(rng=rng, today=today, staff=staff)
    cumulative = list(
        accumulate(
            _TIER_WEIGHT[client.organisation.tier] * (0.8 if client.domain == texts.IT else 1.0)
            for client in clients
        )
    )
    drafts: list[Draft] = []
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for _ in range(round(_daily_volume(day) * rng.uniform(0.75, 1.25))):
            client = rng.choices(clients, cum_weights=cumulative)[0]
            drafts.append(history.case(day, client))
    return drafts


def owner_message(
    case: Case, moment: datetime, *, rng: random.Random, asking: bool = False
) -> Message:
    """An unsaved message from the case's owner to the customer at ``moment``: a
    progress update or, ``asking``, a question that leaves the case waiting on
    the customer. Also adds it to the case's search terms and ``updated_at``."""
    phrases = _ENGLISH if case.contact.language == "en" else _CHINESE
    values = {
        "when": rng.choice(phrases.when),
        "project": case.project.name if case.project else phrases.no_project,
    }
    message = Message(
        case=case,
        direction=Message.Direction.OUTBOUND,
        channel=case.channel,
        author=case.owner,
        body=rng.choice(phrases.asks if asking else phrases.updates).format_map(values),
        created_at=moment,
    )
    case.search_terms = search.merge_terms(case.search_terms, message.body)
    case.updated_at = max(case.updated_at, moment)
    return message


def history_save(drafts: list[Draft]) -> tuple[int, int]:
    """Number the cases and save them with their messages; returns ``(cases, messages)``.

    References run ``KF-<year>-000001`` upwards per calendar year in order of opening.
    """
    drafts.sort(key=lambda draft: draft[0].created_at)
    sequence: dict[int, int] = {}
    for case, _messages in drafts:
        year = case.created_at.year
        sequence[year] = sequence.get(year, 0) + 1
        case.reference = f"KF-{year}-{sequence[year]:06d}"
    Case.objects.bulk_create([case for case, _messages in drafts], batch_size=500)
    messages = [message for _case, case_messages in drafts for message in case_messages]
    Message.objects.bulk_create(messages, batch_size=1000)
    events_save([case for case, _messages in drafts], messages)
    return len(drafts), len(messages)
