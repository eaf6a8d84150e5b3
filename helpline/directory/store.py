"""The directory in the database: reading services, changing them (every change audited in the
same transaction), importing a checked CSV, and the public map's view counter.

Values reaching :func:`create` and :func:`update` are already checked field by field
(helpline.directory.fields); here the one check that needs the database is made: a code is one
service's only. Nothing is ever deleted that a referral, a wrap-up or a map view points at: such
a service is retired (``active`` false), so the figures and the callbacks' history stay readable.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpline.audit import Actor, record
from helpline.directory.csv_import import ImportPlan, parse_directory
from helpline.directory.hours import schedule_from_json
from helpline.directory.rules import ServiceFacts, ServiceStatus, service_status
from helpline.models import AuditEntity, CallbackRequest, CallWrapUp, Service, ServiceView
from helpline.rota.rules import WeeklySchedule
from helpline.sms.outbox import insert_ignoring_conflicts

# The fields a client may set, in the order the API and the audit log show them.
FIELDS = ("name", "name_sv", "name_en", "code", "description", "description_sv", "description_en", "topics",
          "languages", "phone", "url", "address", "area", "hours", "open_on_holidays", "active")


class CodeTaken(Exception):
    def __init__(self, code: str, other: Service) -> None:
        super().__init__(f"the code {code} is already {other.name}'s (id {other.id})")
        self.code = code
        self.other_id = other.id
        self.other_name = other.name


class ServiceRefused(Exception):
    """A referral to a service that cannot be made: ``reason`` is unknown, retired or not_referred
    (a service named with an outcome other than referred)."""

    def __init__(self, reason: str, service_id: int | None) -> None:
        words = {"unknown": f"there is no service with id {service_id}",
                 "retired": f"service {service_id} is retired; refer to one in use",
                 "not_referred": "a service can only be named when the outcome is referred"}[reason]
        super().__init__(words)
        self.reason = reason
        self.service_id = service_id
        self.message = words


# --- reading -----------------------------------------------------------------------------------

def weekly_of(service: Service) -> WeeklySchedule | None:
    return schedule_from_json(service.hours) if service.hours else None


def facts_of(service: Service) -> ServiceFacts:
    names = tuple(name for name in (service.name, service.name_sv, service.name_en) if name)
    descriptions = tuple(text for text in (service.description, service.description_sv, service.description_en)
                         if text)
    return ServiceFacts(id=service.id, code=service.code, names=names, descriptions=descriptions,
                        topics=tuple(service.topics or ()), languages=tuple(service.languages or ()),
                        area=service.area, weekly=weekly_of(service), open_on_holidays=service.open_on_holidays,
                        active=service.active)


def status_of(service: Service, now: datetime, tz: ZoneInfo, holiday_calendar: str) -> ServiceStatus:
    return service_status(facts_of(service), now, tz, holiday_calendar)


def services(session: Session, *, active_only: bool = False) -> list[Service]:
    query = select(Service).order_by(Service.name, Service.id)
    if active_only:
        query = query.where(Service.active.is_(True))
    return list(session.scalars(query))


def all_facts(session: Session) -> list[ServiceFacts]:
    return [facts_of(service) for service in services(session)]


def referable(session: Session, outcome: str, service_id: int | None) -> Service | None:
    """The service a referral names, checked: it exists, is in use, and the outcome is referred."""
    if service_id is None:
        return None
    if outcome != "referred":
        raise ServiceRefused("not_referred", service_id)
    service = session.get(Service, service_id)
    if service is None:
        raise ServiceRefused("unknown", service_id)
    if not service.active:
        raise ServiceRefused("retired", service_id)
    return service


# --- changing ------------------------------------------------------------------------------------

def snapshot(service: Service) -> dict[str, Any]:
    return {name: getattr(service, name) for name in FIELDS}


def _apply(session: Session, service: Service, values: Mapping[str, Any], now: datetime) -> None:
    code = values.get("code")
    if code is not None:
        other = session.scalar(select(Service).where(Service.code == code, Service.id != service.id))
        if other is not None:
            raise CodeTaken(code, other)
    for name, value in values.items():
        if name in FIELDS:
            setattr(service, name, list(value) if isinstance(value, list) else value)
    service.updated_at = now


def create(session: Session, actor: Actor, values: Mapping[str, Any], now: datetime) -> Service:
    service = Service(name="", code="", description="", topics=[], languages=[], open_on_holidays=False, active=True,
                      created_at=now, updated_at=now)
    _apply(session, service, values, now)
    session.add(service)
    session.flush()
    record(session, actor, AuditEntity.SERVICE, service.id, None, snapshot(service), now)
    return service


def update(session: Session, actor: Actor, service: Service, values: Mapping[str, Any], now: datetime) -> Service:
    before = snapshot(service)
    _apply(session, service, values, now)
    session.flush()
    record(session, actor, AuditEntity.SERVICE, service.id, before, snapshot(service), now)
    return service


def history(session: Session, service_id: int) -> list[str]:
    """What points at the service ("3 referred callbacks", ...): a reason not to delete it."""
    counts = (
        ("referred callback", session.scalar(select(func.count()).where(CallbackRequest.service_id == service_id))),
        ("wrapped-up call", session.scalar(select(func.count()).where(CallWrapUp.service_id == service_id))),
        ("day of map views", session.scalar(select(func.count()).where(ServiceView.service_id == service_id))),
    )
    return [f"{count} {noun}{'' if count == 1 else 's'}" for noun, count in counts if count]


def delete(session: Session, actor: Actor, service: Service, now: datetime) -> None:
    before = snapshot(service)
    service_id = service.id
    session.delete(service)
    record(session, actor, AuditEntity.SERVICE, service_id, before, None, now)


# --- importing a CSV -------------------------------------------------------------------------------

def plan_import(session: Session, text: str) -> ImportPlan:
    existing = dict(session.execute(select(Service.code, Service.id)).all())
    return parse_directory(text, existing)


def apply_import(session: Session, actor: Actor, plan: ImportPlan, now: datetime) -> list[Service]:
    """Store every planned row (the plan must be valid), each audited; all in the caller's transaction."""
    if not plan.valid:
        raise ValueError("only a valid plan can be imported")
    stored = []
    for planned in plan.services:
        existing = session.get(Service, planned.existing_id) if planned.existing_id is not None else None
        if existing is None:
            stored.append(create(session, actor, planned.values, now))
        else:
            stored.append(update(session, actor, existing, planned.values, now))
    return stored


# --- the public map's counter ---------------------------------------------------------------------

def count_view(session: Session, service_id: int, day: date) -> None:
    """One more view of the service's page on ``day`` (local): nothing about the visitor is kept."""
    insert = insert_ignoring_conflicts(session, ServiceView)
    session.execute(insert.values(service_id=service_id, day=day, views=1)
                    .on_conflict_do_update(index_elements=["service_id", "day"],
                                           set_={"views": ServiceView.views + 1}))
