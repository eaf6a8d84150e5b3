"""/api/staff: the people who answer the line.

DELETE removes only a record with no history (a typo, say). Someone who has been on the rota,
answered calls or owned callbacks is kept, so that history stays readable; the answer (409) says
to set ``active`` to false instead, which takes them off every rota and assignment.
"""
from __future__ import annotations

from typing import Any

import pycountry
from flask import Blueprint, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import audit_actor, created, fetch, no_content, now, when
from helpline.api.errors import Conflict, Unprocessable
from helpline.audit import record, staff_snapshot
from helpline.models import AuditEntity, CallbackEvent, CallbackRequest, Call, DialAttempt, Role, Shift, Staff
from helpline.phones import InvalidPhoneNumber, normalise, readable

blueprint = Blueprint("staff", __name__)

FIELDS = ("name", "phone", "languages", "role", "active")
ROLES = (Role.STAFF.value, Role.SUPERVISOR.value)
NAME_MAX = 120


def staff_json(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.id,
        "name": staff.name,
        "phone": staff.phone,
        "languages": list(staff.languages or []),
        "role": staff.role,
        "active": staff.active,
        "sms_opted_out_at": when(staff.sms_opted_out_at),
        "created_at": when(staff.created_at),
    }


@blueprint.get("/staff")
def list_staff():
    with current_services().db.session() as session:
        people = session.scalars(select(Staff).order_by(Staff.name, Staff.id)).all()
        return {"staff": [staff_json(person) for person in people]}


@blueprint.post("/staff")
def add_staff():
    body = v.json_object()
    v.check_fields(body, FIELDS, required=("name", "phone"))
    with current_services().db.session() as session:
        staff = Staff(name="", phone="", languages=[], role=Role.STAFF.value, active=True, created_at=now())
        _apply(session, staff, body)
        session.add(staff)
        _flush_or_conflict(session, staff)
        record(session, audit_actor(), AuditEntity.STAFF, staff.id, None, staff_snapshot(staff), now())
        return created(staff_json(staff), url_for(".get_staff", staff_id=staff.id))


@blueprint.get("/staff/<int:staff_id>")
def get_staff(staff_id: int):
    with current_services().db.session() as session:
        return staff_json(fetch(session, Staff, staff_id, "staff member"))


@blueprint.patch("/staff/<int:staff_id>")
def change_staff(staff_id: int):
    body = v.json_object()
    v.check_fields(body, FIELDS)
    with current_services().db.session() as session:
        staff = fetch(session, Staff, staff_id, "staff member")
        before = staff_snapshot(staff)
        _apply(session, staff, body)
        _flush_or_conflict(session, staff)
        record(session, audit_actor(), AuditEntity.STAFF, staff.id, before, staff_snapshot(staff), now())
        return staff_json(staff)


@blueprint.delete("/staff/<int:staff_id>")
def remove_staff(staff_id: int):
    with current_services().db.session() as session:
        staff = fetch(session, Staff, staff_id, "staff member")
        history = _history(session, staff_id)
        if history:
            raise Conflict(
                f"{staff.name} has history here ({', '.join(history)}), which deleting would lose; "
                f"to take them off the line, set active to false with PATCH /api/staff/{staff_id}"
            )
        before = staff_snapshot(staff)
        session.delete(staff)
        record(session, audit_actor(), AuditEntity.STAFF, staff_id, before, None, now())
    return no_content()


def _apply(session: Session, staff: Staff, body: dict[str, Any]) -> None:
    """Check every field given in ``body`` and set it on ``staff``; nothing is set on any error."""
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = v.name(body, "name", max_length=NAME_MAX)
    if "phone" in body:
        changes["phone"] = _phone(body)
        clash = session.scalar(select(Staff).where(Staff.phone == changes["phone"], Staff.id != staff.id))
        if clash is not None:
            raise Conflict(f"{readable(changes['phone'])} is already the phone of {clash.name} (id {clash.id})")
    if "languages" in body:
        changes["languages"] = _languages(body.get("languages"))
    if "role" in body:
        changes["role"] = v.choice(body, "role", ROLES)
    if "active" in body:
        changes["active"] = v.boolean(body, "active")
    for name, value in changes.items():
        setattr(staff, name, value)


def _phone(body: dict[str, Any]) -> str:
    value = body.get("phone")
    if not isinstance(value, str):
        raise Unprocessable("phone must be text, like \"040 123 4567\" or \"+358401234567\"")
    try:
        return normalise(value)
    except InvalidPhoneNumber as error:
        raise Unprocessable(f"phone: {error}") from None


def _languages(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Unprocessable('languages must be a list of ISO 639-1 codes, like ["fi", "sv"]')
    codes: list[str] = []
    for item in value:
        code = item.strip().lower() if isinstance(item, str) else ""
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise Unprocessable(
                f"languages: {item!r} is not an ISO 639-1 language code (two letters, like fi, sv or en)"
            )
        if code not in codes:
            codes.append(code)
    return codes


def _flush_or_conflict(session: Session, staff: Staff) -> None:
    # The check in _apply covers the usual case; the unique index covers two requests racing.
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{readable(staff.phone)} is already the phone of another staff member") from None


def _history(session: Session, staff_id: int) -> list[str]:
    counts = (
        ("shift", session.scalar(select(func.count()).where(Shift.staff_id == staff_id))),
        ("answered call", session.scalar(select(func.count()).where(Call.answered_by_id == staff_id))),
        ("call rung", session.scalar(select(func.count()).where(DialAttempt.staff_id == staff_id))),
        ("callback", session.scalar(select(func.count()).where(CallbackRequest.assignee_id == staff_id))),
        ("callback event", session.scalar(select(func.count()).where(CallbackEvent.staff_id == staff_id))),
    )
    return [f"{count} {noun}{'' if count == 1 else 's'}" for noun, count in counts if count]
