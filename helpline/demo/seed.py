"""The demo line: office hours, four staff (one supervisor), one week of shifts, and a small
directory of help services (made-up numbers and addresses).

Seeding is idempotent: staff are matched by phone number, shifts by (staff, start, end), services
by code, and the weekly hours are rewritten only when they differ, so running the demo again adds
nothing twice.
Each run revokes the previous demo token and prints a fresh one (tokens are stored hashed, so an
old one cannot be shown again).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.directory.hours import parse_hours, week_json
from helpline.models import ApiToken, OfficeHoursInterval, Role, Service, Shift, Staff
from helpline.rota.rules import local_datetime
from helpline.rota.load import status_at
from helpline.tokens import create_token

OPENS_MINUTE = 9 * 60
CLOSES_MINUTE = 15 * 60
WEEKDAYS = range(5)  # Monday to Friday
DEMO_TOKEN_NAME = "demo supervisor"
# Web sign-ins for the demo (a local, development-only line): a supervisor and a staff member.
DEMO_PASSWORD = "helpline-demo"


@dataclass(frozen=True)
class DemoStaff:
    key: str
    name: str
    phone: str
    languages: tuple[str, ...]
    role: str = Role.STAFF.value


AINO = DemoStaff("aino", "Aino Virtanen", "+358401000001", ("fi", "en"))
MIKKO = DemoStaff("mikko", "Mikko Korhonen", "+358401000002", ("fi",))
ELSA = DemoStaff("elsa", "Elsa Lindqvist", "+358401000003", ("sv", "fi"))
LEENA = DemoStaff("leena", "Leena Mäkinen", "+358401000004", ("fi", "en"), Role.SUPERVISOR.value)
DEMO_STAFF = (AINO, MIKKO, ELSA, LEENA)
DEMO_SIGN_INS = ("leena", "aino")  # usernames, as DemoStaff.key; password DEMO_PASSWORD

# Two people on each weekday, first rung first. The supervisor is on Monday (the demo day) and
# Thursday so that escalations have someone to reach.
ROTA: dict[int, tuple[DemoStaff, DemoStaff]] = {
    0: (AINO, LEENA),
    1: (ELSA, MIKKO),
    2: (MIKKO, AINO),
    3: (LEENA, ELSA),
    4: (AINO, MIKKO),
}


@dataclass(frozen=True)
class DemoService:
    code: str
    name: str
    name_sv: str
    name_en: str
    phone: str
    url: str
    area: str | None
    hours: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    description: str
    open_on_holidays: bool = False


# The demo's directory: made-up numbers and web addresses (example.fi), never a real service's.
DEMO_SERVICES = (
    DemoService("KRIISI", "Kriisipuhelin", "Krisjouren", "Crisis line", "+358987654301", "https://kriisi.example.fi",
                None, "24/7", ("kriisi", "ahdistus", "itsetuhoisuus"), ("fi", "sv", "en"),
                "Keskusteluapu kriisissä olevalle ja hänen läheiselleen, ympäri vuorokauden.", open_on_holidays=True),
    DemoService("PERHE", "Kirkon perheneuvonta", "Kyrkans familjerådgivning", "Church family counselling",
                "+358987654302", "https://perheneuvonta.example.fi", "Espoo", "ma-pe 9-15",
                ("perhe", "parisuhde", "ero"), ("fi", "sv"),
                "Apua parisuhteen ja perheen pulmiin. Ajanvaraus puhelimitse."),
    DemoService("RUOKA", "Diakonian ruoka-apu", "Diakonins mathjälp", "Church food aid", "+358987654303", "",
                "Espoo", "ti 10-12, to 12-14", ("ruoka-apu", "talous"), ("fi",),
                "Ruokakassi ja keskustelu diakoniatyöntekijän kanssa. Osoite: Kirkkotie 1, Espoo."),
    DemoService("VELKA", "Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning", "Debt advice",
                "+358987654304", "https://velka.example.fi", "Helsinki", "ma-to 9-12 ja 13-15",
                ("velat", "talous"), ("fi", "sv", "en"), "Maksutonta neuvontaa velka- ja rahahuoliin."),
)


@dataclass(frozen=True)
class SeededLine:
    staff: dict[str, Staff]  # by DemoStaff.key
    week_start: date  # the Monday of the seeded week
    token: str  # a fresh supervisor token, in clear text
    added: int  # rows inserted by this run (0 on a re-run)

    def on_duty(self, day: date) -> tuple[Staff, Staff]:
        first, second = ROTA[day.weekday()]
        return self.staff[first.key], self.staff[second.key]


def week_start(moment: datetime, tz: ZoneInfo) -> date:
    local_day = moment.astimezone(tz).date()
    return local_day - timedelta(days=local_day.weekday())


def seed_demo_line(session: Session, settings: Settings, now: datetime, *, monday: date | None = None) -> SeededLine:
    """Make the demo line exist (hours, staff, the week's shifts) and return a fresh token."""
    tz = settings.timezone
    monday = monday or week_start(now, tz)
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    added = _seed_office_hours(session)
    staff: dict[str, Staff] = {}
    for person in DEMO_STAFF:
        row, inserted = _upsert_staff(session, person, now)
        staff[person.key] = row
        added += inserted
    session.flush()
    for key in DEMO_SIGN_INS:
        _ensure_sign_in(session, staff[key], key, now)
    for offset in WEEKDAYS:
        day = monday + timedelta(days=offset)
        starts = local_datetime(day, OPENS_MINUTE, tz)
        ends = local_datetime(day, CLOSES_MINUTE, tz)
        for priority, person in enumerate(ROTA[day.weekday()], start=1):
            added += _ensure_shift(session, staff[person.key], starts, ends, priority, now)
    session.execute(
        update(ApiToken)
        .where(ApiToken.name == DEMO_TOKEN_NAME, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = create_token(session, DEMO_TOKEN_NAME, Role.SUPERVISOR.value, now)
    added += _seed_services(session, now)
    session.flush()
    return SeededLine(staff=staff, week_start=monday, token=token, added=added)


def first_open_weekday(session: Session, settings: Settings, monday: date) -> date | None:
    """The first day of the week whose 10:00 is open (this week's Monday unless a holiday)."""
    for offset in WEEKDAYS:
        day = monday + timedelta(days=offset)
        if status_at(session, settings, local_datetime(day, 10 * 60, settings.timezone)).open:
            return day
    return None


def _seed_office_hours(session: Session) -> int:
    wanted = {(weekday, OPENS_MINUTE, CLOSES_MINUTE) for weekday in WEEKDAYS}
    rows = session.execute(select(OfficeHoursInterval)).scalars().all()
    if {(row.weekday, row.opens_minute, row.closes_minute) for row in rows} == wanted and len(rows) == len(wanted):
        return 0
    for row in rows:
        session.delete(row)
    session.flush()
    session.add_all(
        OfficeHoursInterval(weekday=weekday, opens_minute=opens, closes_minute=closes)
        for weekday, opens, closes in sorted(wanted)
    )
    return len(wanted)


def _upsert_staff(session: Session, person: DemoStaff, now: datetime) -> tuple[Staff, int]:
    row = session.execute(select(Staff).where(Staff.phone == person.phone)).scalar_one_or_none()
    if row is None:
        row = Staff(name=person.name, phone=person.phone, languages=list(person.languages), role=person.role,
                    active=True, created_at=now)
        session.add(row)
        return row, 1
    # A supervisor may have edited the demo staff through the API; put them back as the demo expects.
    row.name, row.languages, row.role, row.active = person.name, list(person.languages), person.role, True
    return row, 0


def _seed_services(session: Session, now: datetime) -> int:
    """The demo's directory, matched by code; a service edited on the pages is put back."""
    from sqlalchemy import inspect

    if not inspect(session.get_bind()).has_table(Service.__tablename__):
        return 0  # a schema migrated before the directory existed
    added = 0
    for item in DEMO_SERVICES:
        service = session.execute(select(Service).where(Service.code == item.code)).scalar_one_or_none()
        if service is None:
            service = Service(code=item.code, created_at=now)
            session.add(service)
            added += 1
        service.name, service.name_sv, service.name_en = item.name, item.name_sv, item.name_en
        service.phone, service.url, service.area = item.phone, item.url or None, item.area
        service.hours = week_json(parse_hours(item.hours))
        service.topics, service.languages = list(item.topics), list(item.languages)
        service.description, service.open_on_holidays, service.active = item.description, item.open_on_holidays, True
        service.updated_at = now
    return added


def _ensure_shift(session: Session, staff: Staff, starts: datetime, ends: datetime, priority: int,
                  now: datetime) -> int:
    existing = session.execute(
        select(Shift).where(Shift.staff_id == staff.id, Shift.starts_at == starts, Shift.ends_at == ends)
    ).scalar_one_or_none()
    if existing is not None:
        existing.priority = priority
        return 0
    session.add(Shift(staff_id=staff.id, starts_at=starts, ends_at=ends, priority=priority, created_at=now))
    return 1


def _ensure_sign_in(session: Session, staff: Staff, username: str, now: datetime) -> None:
    """A web sign-in ``username`` / DEMO_PASSWORD for ``staff`` (the password is put back each run)."""
    from sqlalchemy import inspect

    from helpline.models import WebLogin

    if not inspect(session.get_bind()).has_table(WebLogin.__tablename__):
        return  # a schema migrated before the web pages existed: no sign-ins to make
    login = session.execute(select(WebLogin).where(WebLogin.staff_id == staff.id)).scalar_one_or_none()
    if login is None:
        login = WebLogin(staff_id=staff.id, username=username, password_hash="", created_at=now,
                         password_changed_at=now)
        session.add(login)
    login.username = username
    if not login.check_password(DEMO_PASSWORD):
        login.set_password(DEMO_PASSWORD, now)
