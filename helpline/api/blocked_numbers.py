"""/api/blocked-numbers: numbers kept from reaching the line for some days (contract section 6).

Supervisors only, reading too: a block's reason is about a caller, which staff tokens have no
need to see (a staff token gets 403 on every method here). No phone number is kept or shown:
``number`` in an answer is the hint a block keeps, its last digits ("…567"); a block is matched by
a keyed hash of the number (helpline.blocks.rules). A block in force for the number already, or
an active staff member's phone, is 409. A block that has ended is still listed by id (``in_force``
false) until retention deletes it; GET /api/blocked-numbers lists the ones in force.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for

from helpline.api import validation as v
from helpline.api.auth import current_caller
from helpline.api.common import audit_actor, created, fetch, line_timezone, no_content, now, when
from helpline.api.errors import Conflict, Forbidden, Unprocessable
from helpline.blocks import rules, store
from helpline.models import BlockedNumber
from helpline.phones import InvalidPhoneNumber, normalise
from helpline.services import current_services

blueprint = Blueprint("blocked_numbers", __name__)

FIELDS = ("number", "days", "reason")


def block_json(block: BlockedNumber) -> dict[str, Any]:
    return {
        "id": block.id,
        "number": block.number_hint,
        "days": block.days,
        "reason": block.reason,
        "created_at": when(block.created_at),
        "ends_at": when(block.ends_at),
        "created_by": block.created_by,
        "in_force": rules.in_force(block.ends_at, now()),
    }


def _supervisors_only() -> None:
    if not current_caller().is_supervisor:
        raise Forbidden(f"the token '{current_caller().name}' belongs to staff; only a supervisor may see or "
                        "change blocked numbers")


@blueprint.get("/blocked-numbers")
def list_blocks():
    _supervisors_only()
    with current_services().db.session() as session:
        return {"blocked_numbers": [block_json(block) for block in store.in_force(session, now())]}


@blueprint.post("/blocked-numbers")
def add_block():
    _supervisors_only()
    body = v.json_object()
    v.check_fields(body, FIELDS, required=FIELDS)
    number = _number(body)
    days = v.integer(body, "days", minimum=rules.MIN_DAYS, maximum=rules.MAX_DAYS)
    reason = v.name(body, "reason", max_length=rules.REASON_MAX)
    line = current_services()
    with line.db.session() as session:
        try:
            block = store.add(session, secret_key=line.settings.secret_key, number=number, days=days, reason=reason,
                              actor=audit_actor(), now=now(), tz=line_timezone())
        except store.BlockRefused as refusal:
            raise Conflict(str(refusal)) from None
        return created(block_json(block), url_for(".get_block", block_id=block.id))


@blueprint.get("/blocked-numbers/<int:block_id>")
def get_block(block_id: int):
    _supervisors_only()
    with current_services().db.session() as session:
        return block_json(fetch(session, BlockedNumber, block_id, "blocked number"))


@blueprint.delete("/blocked-numbers/<int:block_id>")
def remove_block(block_id: int):
    _supervisors_only()
    with current_services().db.session() as session:
        block = fetch(session, BlockedNumber, block_id, "blocked number")
        store.remove(session, block, actor=audit_actor(), now=now(), tz=line_timezone())
    return no_content()


def _number(body: dict[str, Any]) -> str:
    value = body.get("number")
    if not isinstance(value, str):
        raise Unprocessable('number must be text, like "040 123 4567" or "+358401234567"')
    try:
        return normalise(value)
    except InvalidPhoneNumber as error:
        raise Unprocessable(f"number: {error}") from None
