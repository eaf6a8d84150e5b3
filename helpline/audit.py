"""The audit log: every change to the rota, staff, office hours and closures, with who, when, and
before/after.

Whoever changes one of these (the API, the pages, the CSV import, the CLI) calls
:func:`record_change` in the same session as the change itself, so that the entry and the change
commit together or not at all. The ``*_snapshot`` helpers give the before/after dicts one shape
wherever they are taken. Nothing here reads the clock or Flask: callers pass ``now`` and the zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import (
    ActorKind,
    AuditAction,
    AuditEntity,
    AuditEntry,
    Closure,
    OfficeHoursInterval,
    Shift,
    Staff,
)
from helpline.rota.rules import WEEKDAYS, format_minute
from helpline.rota.localtime import format_instant

Snapshot = dict[str, Any]
DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in user's name, an API token's name, or the system."""

    name: str
    kind: str

    @classmethod
    def system(cls, name: str = "system") -> "Actor":
        return cls(name, ActorKind.SYSTEM.value)


def record_change(
    session: Session,
    *,
    actor: str,
    actor_kind: str,
    entity: str,
    entity_id: int | None,
    action: str,
    before: Snapshot | None,
    after: Snapshot | None,
    now: datetime,
) -> AuditEntry | None:
    """Add an audit entry to ``session``; an update that changes nothing records nothing (None)."""
    kind, what, verb = ActorKind(actor_kind), AuditEntity(entity), AuditAction(action)
    if not actor or not actor.strip():
        raise ValueError("an audit entry needs the actor's name")
    if verb is AuditAction.CREATE and (before is not None or after is None):
        raise ValueError("a create has an after and no before")
    if verb is AuditAction.DELETE and (after is not None or before is None):
        raise ValueError("a delete has a before and no after")
    if verb is AuditAction.UPDATE:
        if before is None or after is None:
            raise ValueError("an update has both a before and an after")
        if before == after:
            return None
    entry = AuditEntry(at=now, actor=actor.strip()[:120], actor_kind=kind.value, entity=what.value,
                       entity_id=entity_id, action=verb.value, before=before, after=after)
    session.add(entry)
    return entry


def record(session: Session, actor: Actor, entity: str, entity_id: int | None, before: Snapshot | None,
           after: Snapshot | None, now: datetime) -> AuditEntry | None:
    """:func:`record_change` with the action read from which snapshots there are."""
    action = AuditAction.CREATE if before is None else AuditAction.DELETE if after is None else AuditAction.UPDATE
    return record_change(session, actor=actor.name, actor_kind=actor.kind, entity=entity, entity_id=entity_id,
                         action=action.value, before=before, after=after, now=now)


def shift_snapshot(shift: Shift, tz: ZoneInfo) -> Snapshot:
    return {
        "staff_id": shift.staff_id,
        "staff_name": shift.staff.name if shift.staff is not None else None,
        "starts_at": format_instant(shift.starts_at, tz),
        "ends_at": format_instant(shift.ends_at, tz),
        "priority": shift.priority,
    }


def staff_snapshot(staff: Staff) -> Snapshot:
    return {
        "name": staff.name,
        "phone": staff.phone,
        "languages": list(staff.languages or []),
        "role": staff.role,
        "active": staff.active,
    }


def closure_snapshot(closure: Closure, tz: ZoneInfo) -> Snapshot:
    return {
        "date": closure.date.isoformat() if closure.date else None,
        "starts_at": format_instant(closure.starts_at, tz),
        "ends_at": format_instant(closure.ends_at, tz),
        "reason": closure.reason,
    }


def office_hours_snapshot(rows: Iterable[OfficeHoursInterval]) -> Snapshot:
    """The week as the API shows it: {"monday": [["09:00", "15:00"]], ...}."""
    week: Snapshot = {day: [] for day in WEEKDAYS}
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens_minute)):
        week[WEEKDAYS[row.weekday]].append([format_minute(row.opens_minute), format_minute(row.closes_minute)])
    return week


def changed_fields(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field that differs, in a stable order, for display."""
    before, after = entry.before or {}, entry.after or {}
    names = list(before) + [name for name in after if name not in before]
    return [(name, before.get(name), after.get(name)) for name in names if before.get(name) != after.get(name)]


def audit_entries(session: Session, *, since: datetime, until: datetime | None = None, entity: str | None = None,
                  entity_id: int | None = None, limit: int = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Entries in [since, until) (no end when ``until`` is None), newest first."""
    query = select(AuditEntry).where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if entity is not None:
        query = query.where(AuditEntry.entity == AuditEntity(entity).value)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
