"""The demo's 200 client organisations with their contacts and projects.

"200 customers" means 200 organisations, each with one or two contacts: home
owners renovating a flat, property management companies, shops and offices
being fitted out, companies buying IT projects, and a few foreign-invested
companies whose contacts write in English.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.core.models import User
from kefu.customers.models import Contact, Organisation, Project
from kefu.demo import names
from kefu.demo.texts import IT, RENOVATION

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORGANISATION_COUNT = 200
# The first organisation always has this name, whatever the seed: its presence
# marks a database where the demo history is already loaded.
MARKER_ORGANISATION = "申城安居物业服务有限公司"

HOUSEHOLD = "household"
PROPERTY = "property"
COMMERCIAL = "commercial"
IT_CLIENT = "it"
FOREIGN = "foreign"
# Demo tags, as a Chinese team would label its customers: the kind, the business.
_KIND_TAGS = {
    HOUSEHOLD: "个人业主",
    PROPERTY: "物业",
    COMMERCIAL: "商业",
    IT_CLIENT: "企业IT",
    FOREIGN: "外企",
}
_DOMAIN_TAGS = {RENOVATION: "装修", IT: "IT服务"}
# How many of the 200 organisations are of each kind (the marker is a property firm).
KIND_COUNTS: tuple[tuple[str, int], ...] = (
    (HOUSEHOLD, 50),
    (PROPERTY, 28),
    (COMMERCIAL, 42),
    (IT_CLIENT, 66),
    (FOREIGN, 14),
)

_PROPERTY_PROJECTS = (
    "外立面翻新",
    "地下车库防水改造",
    "电梯厅装修",
    "小区道路修缮",
    "消防通道改造",
)
_COMMERCIAL_PROJECTS = ("门店翻新", "办公室装修", "后厨改造", "会议室改造", "展厅装修")
_IT_PROJECTS = (
    "ERP 系统升级",
    "OA 办公系统迁移",
    "机房网络改造",
    "门店收银系统部署",
    "数据备份方案实施",
    "企业邮箱迁移",
    "CRM 系统实施",
    "视频会议系统部署",
    "仓储管理系统（WMS）上线",
    "财务共享平台建设",
)
_ZH_HOME_CHANNELS = (["phone", "chat"], ["chat", "phone"], ["phone", "sms"], ["phone"], ["chat"])
_ZH_FIRM_CHANNELS = (
    ["email", "phone"],
    ["phone", "email"],
    ["chat", "email"],
    ["email"],
    ["phone", "chat", "email"],
    ["phone", "sms"],
)
_EN_CHANNELS = (["email", "phone"], ["email"], ["chat", "email"], ["email", "chat", "phone"])
_MOBILE_PREFIXES = ("138", "139", "137", "136", "135", "150", "151", "158", "186", "187", "189")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Client:
    """One demo organisation as saved, with what the case history needs to know of it."""

    organisation: Organisation
    domain: str  # texts.RENOVATION or texts.IT
    contacts: list[Contact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)


def fake_id_number(rng: random.Random, *, region: str) -> str:
    """A well-formed but invented 18-digit resident ID: region, birth date, sequence, check."""
    birth = date(1962, 1, 1) + timedelta(days=rng.randrange(365 * 38))
    body = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


@dataclass(frozen=True)
class _Draft:
    organisation: Organisation
    kind: str
    domain: str
    mail_domain: str
    district: str
    flat: str = ""  # households only: the flat being renovated
    owner: tuple[tuple[str, str], tuple[str, str]] | None = None  # households: (surname, given)


class _Generator:
    def __init__(self, *, rng: random.Random, today: date, users: dict[str, User]) -> None:
        self.rng = rng
        self.today = today
        self.names_taken = {MARKER_ORGANISATION}
        self.phones_taken: set[str] = set()
        pms = [spec for spec in names.STAFF if spec.username.startswith("pm.")]
        self.managers = {
            RENOVATION: [users[s.username] for s in pms if s.department == names.ENGINEERING],
            IT: [users[s.username] for s in pms if s.department == names.TECHNOLOGY],
        }

    def moment(self, day: date) -> datetime:
        minutes = self.rng.randrange(9 * 60, 18 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=SHANGHAI)

    def unique_name(self, make: Callable[[], str]) -> str:
        while True:
            name = make()
            if name not in self.names_taken:
                self.names_taken.add(name)
                return name

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones_taken:
                self.phones_taken.add(number)
                # Stored as every contact's number is: E.164 (customers.phones).
                return "+86" + number

    def tier(self, kind: str) -> str:
        if kind == HOUSEHOLD:
            return self.rng.choices(["standard", "key"], [9, 1])[0]
        return self.rng.choices(["standard", "key", "strategic"], [63, 27, 10])[0]

    def organisation(self, kind: str, *, index: int) -> _Draft:
        rng = self.rng
        city, district, _region = rng.choice(names.DISTRICTS)
        address = f"{city}市{district}{rng.choice(names.ROADS)}{rng.randrange(1, 1999)}号"
        created = self.moment(self.today - timedelta(days=rng.randrange(130, 1100)))
        tier = self.tier(kind)
        flat = ""
        owner = None
        if index == 0:
            name, industry, tier = MARKER_ORGANISATION, "物业管理", "strategic"
            domain, mail_domain = RENOVATION, "shencheng-anju.com.cn"
        elif kind == HOUSEHOLD:
            name = ""
            while not name:  # the owner and the flat are drawn again on a clash
                estate = rng.choice(names.ESTATES)
                room = f"{rng.randrange(2, 33)}{rng.randrange(1, 5):02d}"
                flat = f"{estate} {rng.randrange(1, 30)} 栋 {room} 室"
                owner = (rng.choice(names.SURNAMES), rng.choice(names.GIVEN_NAMES))
                candidate = f"{owner[0][0]}{owner[1][0]}（{flat}）"
                if candidate not in self.names_taken:
                    self.names_taken.add(candidate)
                    name = candidate
            industry, address = "家装", f"{city}市{district}{flat}"
            domain, mail_domain = RENOVATION, ""
        elif kind == FOREIGN:
            suffix, industry, mail_suffix = rng.choice(names.FOREIGN_FIRMS)
            name = self.unique_name(lambda: f"{rng.choice(names.FOREIGN_WORDS)} {suffix}")
            domain = rng.choice([RENOVATION, IT])
            mail_domain = f"{name.split(' ', 1)[0].lower()}-{mail_suffix}.com"
        else:
            firms = {
                PROPERTY: names.PROPERTY_FIRMS,
                COMMERCIAL: names.COMMERCIAL_FIRMS,
                IT_CLIENT: names.IT_FIRMS,
            }[kind]
            suffix, industry, mail_suffix = rng.choice(firms)
            name = self.unique_name(lambda: f"{city}{rng.choice(names.FIRM_WORDS)[0]}{suffix}")
            word = name.removeprefix(city).removesuffix(suffix)
            mail_domain = f"{dict(names.FIRM_WORDS)[word]}-{mail_suffix}.com.cn"
            domain = IT if kind == IT_CLIENT else RENOVATION
        tags = [_KIND_TAGS[kind], _DOMAIN_TAGS[domain]] + (
            ["重点客户"] if tier != "standard" else []
        )
        organisation = Organisation(
            name=name,
            tier=tier,
            industry=industry,
            address=address,
            region=city,
            tags=tags,
            created_at=created,
        )
        return _Draft(organisation, kind, domain, mail_domain, district, flat, owner)

    def contact(self, draft: _Draft, *, position: int, english: bool) -> Contact:
        rng = self.rng
        organisation = draft.organisation
        contact = Contact(
            organisation=organisation,
            phone=self.phone(),
            created_at=organisation.created_at + timedelta(days=rng.randrange(0, 60)),
        )
        if english:
            first, last = (
                rng.choice(names.ENGLISH_FIRST_NAMES),
                rng.choice(names.ENGLISH_LAST_NAMES),
            )
            contact.name, contact.language = f"{first} {last}", "en"
            contact.title = rng.choice(names.ENGLISH_TITLES)
            contact.email = f"{first.lower()}.{last.lower()}@{draft.mail_domain}"
            contact.im_handle = f"{first.lower()}_{last.lower()}{rng.randrange(10, 99)}"
            contact.preferred_channels = list(rng.choice(_EN_CHANNELS))
            return contact
        surname, given = rng.choice(names.SURNAMES), rng.choice(names.GIVEN_NAMES)
        if draft.owner is not None and position == 0:
            surname, given = draft.owner
        contact.name = f"{surname[0]}{given[0]}"
        if draft.kind == HOUSEHOLD:
            contact.title = rng.choice(names.HOUSEHOLD_TITLES) if position else "业主"
            mailbox = rng.choice(["qq.com", "163.com", "126.com"])
            contact.email = f"{surname[1]}{given[1]}{rng.randrange(10, 99)}@{mailbox}"
            contact.preferred_channels = list(rng.choice(_ZH_HOME_CHANNELS))
            has_id = rng.random() < 0.8
        else:
            titles = {PROPERTY: names.PROPERTY_TITLES, COMMERCIAL: names.COMMERCIAL_TITLES}
            contact.title = rng.choice(titles.get(draft.kind, names.IT_TITLES))
            contact.email = f"{given[1]}.{surname[1]}@{draft.mail_domain}"
            contact.preferred_channels = list(rng.choice(_ZH_FIRM_CHANNELS))
            has_id = rng.random() < 0.1
        if has_id:
            contact.id_number = fake_id_number(rng, region=rng.choice(names.DISTRICTS)[2])
        if rng.random() < 0.6:
            contact.im_handle = f"wxid_{surname[1]}{given[1]}{rng.randrange(10, 999)}"
        quiet = rng.random()
        if quiet < 0.25:
            contact.quiet_hours_start, contact.quiet_hours_end = time(22), time(8)
        elif quiet < 0.3 and draft.kind == HOUSEHOLD:
            contact.quiet_hours_start, contact.quiet_hours_end = time(21), time(9)
        return contact

    def project_names(self, draft: _Draft) -> list[str]:
        rng = self.rng
        if draft.kind == HOUSEHOLD:
            scope = rng.choices(["全屋装修", "厨卫翻新", "局部改造"], [6, 3, 1])[0]
            return [f"{draft.district}{draft.flat}{scope}"]
        count = rng.choices([1, 2, 3], [5, 3, 2])[0]
        if draft.domain == IT:
            return rng.sample(_IT_PROJECTS, count)
        if draft.kind == PROPERTY:
            estates = rng.sample(names.ESTATES, count)
            return [f"{estate}{rng.choice(_PROPERTY_PROJECTS)}" for estate in estates]
        return [f"{draft.district}{scope}" for scope in rng.sample(_COMMERCIAL_PROJECTS, count)]

    def project(self, draft: _Draft, *, name: str) -> Project:
        rng = self.rng
        status = rng.choices(["active", "completed", "planned", "stopped"], [52, 30, 12, 6])[0]
        today = self.today
        if status == "completed":
            starts = today - timedelta(days=rng.randrange(150, 500))
            ends = starts + timedelta(days=rng.randrange(45, 140))
        elif status == "planned":
            starts = today + timedelta(days=rng.randrange(7, 90))
            ends = starts + timedelta(days=rng.randrange(45, 180))
        else:
            starts = today - timedelta(days=rng.randrange(20, 260))
            ends = today + timedelta(days=rng.randrange(15, 200))
        return Project(
            organisation=draft.organisation,
            name=name,
            site=draft.organisation.address,
            project_manager=rng.choice(self.managers[draft.domain]),
            status=status,
            starts_on=starts,
            ends_on=ends,
        )


def clients_build(*, rng: random.Random, today: date, users: dict[str, User]) -> list[Client]:
    """Create the 200 demo organisations with their contacts and projects; return them.

    Precondition: the demo is not loaded (organisation names are unique, so a
    second run would fail). ``users`` maps usernames to the saved demo staff;
    project managers are its ``pm.*`` accounts. Deterministic in ``rng`` and
    ``today``. Organisations and contacts date from before the case history.
    """
    generator = _Generator(rng=rng, today=today, users=users)
    kinds = [kind for kind, count in KIND_COUNTS for _ in range(count)]
    kinds.remove(PROPERTY)  # the marker organisation takes this place, always first
    rng.shuffle(kinds)
    kinds.insert(0, PROPERTY)
    clients: list[Client] = []
    for index, kind in enumerate(kinds):
        draft = generator.organisation(kind, index=index)
        client = Client(organisation=draft.organisation, domain=draft.domain)
        size = 1 if kind == HOUSEHOLD and rng.random() < 0.7 else rng.choice([1, 2, 2])
        for position in range(size):
            if kind == FOREIGN:
                english = position == 0 or rng.random() < 0.5
            else:
                english = kind in (IT_CLIENT, COMMERCIAL) and rng.random() < 0.05
            client.contacts.append(generator.contact(draft, position=position, english=english))
        client.projects.extend(
            generator.project(draft, name=name) for name in generator.project_names(draft)
        )
        clients.append(client)
    Organisation.objects.bulk_create([client.organisation for client in clients], batch_size=500)
    Contact.objects.bulk_create([c for client in clients for c in client.contacts], batch_size=500)
    Project.objects.bulk_create([p for client in clients for p in client.projects], batch_size=500)
    return clients
