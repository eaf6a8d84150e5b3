"""/api/shifts: the duty rota. Lower ``priority`` rings first.

A shift must end after it starts and last at most MAX_SHIFT (a longer one is almost always a
mistyped date); its staff member must exist and be active; one person's shifts never overlap
(409 names the clash). Shifts next to each other (one ends when the next starts) are fine.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import audit_actor, created, fetch, line_timezone, no_content, now, when
from helpline.api.errors import BadRequest, Conflict, Unprocessable
from helpline.audit import record, shift_snapshot
from helpline.models import AuditEntity, Shift, Staff
from helpline.rota.changes import ShiftClash, find_clash
from helpline.rota.localtime import week_bounds

blueprint = Blueprint("shifts", __name__)

FIELDS = ("staff_id", "starts_at", "ends_at", "priority")
MAX_SHIFT = timedelta(hours=24)
DEFAULT_PRIORITY = 100
PRIORITY_RANGE = (0, 10_000)
MAX_LISTING = timedelta(days=366)


def shift_json(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.id,
        "staff_id": shift.staff_id,
        "staff_name": shift.staff.name if shift.staff is not None else None,
        "starts_at": when(shift.starts_at),
        "ends_at": when(shift.ends_at),
        "priority": shift.priority,
        "created_at": when(shift.created_at),
    }


@blueprint.get("/shifts")
def list_shifts():
    """Shifts overlapping [from, to); by default the current local week (Monday to Monday)."""
    tz = line_timezone()
    starts, ends = v.query_instant("from", tz), v.query_instant("to", tz)
    if starts is None and ends is None:
        starts, ends = week_bounds(now(), tz)
    elif ends is None:
        ends = starts + timedelta(days=7)
    elif starts is None:
        starts = ends - timedelta(days=7)
    if ends <= starts:
        raise BadRequest(f"'to' ({when(ends)}) must be after 'from' ({when(starts)})")
    if ends - starts > MAX_LISTING:
        raise BadRequest("ask for at most 366 days of shifts at a time")
    staff_id = v.query_integer("staff_id", default=None, minimum=1, maximum=2**31 - 1)
    query = select(Shift).where(Shift.starts_at < ends, Shift.ends_at > starts)
    if staff_id is not None:
        query = query.where(Shift.staff_id == staff_id)
    with current_services().db.session() as session:
        shifts = session.scalars(query.order_by(Shift.starts_at, Shift.priority, Shift.id)).all()
        return {"from": when(starts), "to": when(ends), "shifts": [shift_json(shift) for shift in shifts]}


@blueprint.post("/shifts")
def add_shift():
    body = v.json_object()
    v.check_fields(body, FIELDS, required=("staff_id", "starts_at", "ends_at"))
    with current_services().db.session() as session:
        shift = Shift(priority=DEFAULT_PRIORITY, created_at=now())
        _apply(session, shift, body)
        session.add(shift)
        session.flush()
        record(session, audit_actor(), AuditEntity.SHIFT, shift.id, None, shift_snapshot(shift, line_timezone()), now())
        return created(shift_json(shift), url_for(".get_shift", shift_id=shift.id))


@blueprint.get("/shifts/<int:shift_id>")
def get_shift(shift_id: int):
    with current_services().db.session() as session:
        return shift_json(fetch(session, Shift, shift_id, "shift"))


@blueprint.patch("/shifts/<int:shift_id>")
def change_shift(shift_id: int):
    body = v.json_object()
    v.check_fields(body, FIELDS)
    with current_services().db.session() as session:
        shift = fetch(session, Shift, shift_id, "shift")
        before = shift_snapshot(shift, line_timezone())
        _apply(session, shift, body)
        session.flush()
        session.refresh(shift)  # the staff relationship, when staff_id changed
        record(session, audit_actor(), AuditEntity.SHIFT, shift.id, before, shift_snapshot(shift, line_timezone()), now())
        return shift_json(shift)


@blueprint.delete("/shifts/<int:shift_id>")
def remove_shift(shift_id: int):
    with current_services().db.session() as session:
        shift = fetch(session, Shift, shift_id, "shift")
        before = shift_snapshot(shift, line_timezone())
        session.delete(shift)
        record(session, audit_actor(), AuditEntity.SHIFT, shift_id, before, None, now())
    return no_content()


def _apply(session: Session, shift: Shift, body: dict[str, Any]) -> None:
    """Check the shift as it would be after ``body``, then change it; nothing changes on error."""
    tz = line_timezone()
    starts = v.instant(body, "starts_at", tz) if "starts_at" in body else shift.starts_at
    ends = v.instant(body, "ends_at", tz) if "ends_at" in body else shift.ends_at
    priority = shift.priority
    if body.get("priority") is not None:
        priority = v.integer(body, "priority", minimum=PRIORITY_RANGE[0], maximum=PRIORITY_RANGE[1])
    if ends <= starts:
        raise Unprocessable(f"a shift must end after it starts: ends_at {when(ends)} is not after "
                            f"starts_at {when(starts)}")
    if ends - starts > MAX_SHIFT:
        raise Unprocessable(f"a shift may last at most 24 hours; {when(starts)} to {when(ends)} is "
                            f"{_hours(ends - starts)} (split it into several shifts)")
    staff = shift.staff
    if "staff_id" in body:
        staff = _active_staff(session, v.integer(body, "staff_id", minimum=1, maximum=2**31 - 1))
    _refuse_overlap(session, shift.id, staff, starts, ends)
    shift.staff_id, shift.staff = staff.id, staff
    shift.starts_at, shift.ends_at, shift.priority = starts, ends, priority


def _active_staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise Unprocessable(f"staff_id: there is no staff member with id {staff_id}")
    if not staff.active:
        raise Unprocessable(f"staff_id: {staff.name} (id {staff_id}) is not active; "
                            f"set active to true with PATCH /api/staff/{staff_id} first")
    return staff


def _refuse_overlap(session: Session, shift_id: int | None, staff: Staff, starts: datetime, ends: datetime) -> None:
    # The same check as the Rota page and the CSV import (helpline.rota.changes).
    clash = find_clash(session, staff.id, starts, ends, ignore=[shift_id])
    if clash is not None:
        raise Conflict(ShiftClash(staff, clash, starts, ends).words(line_timezone()))


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hours"
