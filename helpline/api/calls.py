"""/api/calls and /api/calls/<id>/wrap-up: the calls that came in, and how each answered live call
ended (contract §9).

A wrap-up is written by whoever answered the call, or by a supervisor, for 24 hours after the
call (helpline.directory.rules). A staff token wraps up only its own person's calls: it must
have been made for them (``helpline create-api-token NAME --role staff --staff-id ID``).
Writing it again within the window corrects it.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint
from sqlalchemy import select

from helpline.api import validation as v
from helpline.api.auth import Caller, current_caller, staff_may_write
from helpline.api.common import line_timezone, now, when
from helpline.api.errors import BadRequest, Conflict, Forbidden, NotFound, Unprocessable
from helpline.directory import wrap_up
from helpline.directory.rules import WRAP_UP_OUTCOMES, WrapUpRefusal
from helpline.directory.store import ServiceRefused
from helpline.models import Call, CallWrapUp
from helpline.services import current_services

blueprint = Blueprint("calls", __name__)

DEFAULT_PERIOD = timedelta(days=7)
MAX_PERIOD = timedelta(days=93)
WRAP_UP_FIELDS = ("outcome", "service_id", "topic")
TOPIC_MAX = wrap_up.TOPIC_MAX


def wrap_up_json(row: CallWrapUp | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"outcome": row.outcome, "service_id": row.service_id, "topic": row.topic, "staff_id": row.staff_id,
            "via": row.via, "at": when(row.at)}


def call_json(call: Call, row: CallWrapUp | None) -> dict[str, Any]:
    return {
        "id": call.id,
        "caller": call.caller,
        "started_at": when(call.started_at),
        "ended_at": when(call.ended_at),
        "outcome": call.outcome,
        "line_open": call.line_open,
        "language": call.language,
        "answered_by_id": call.answered_by_id,
        "answered_at": when(call.answered_at),
        "conversation_seconds": call.conversation_seconds,
        "callback_id": call.callback_id,
        "wrap_up": wrap_up_json(row),
        "wrap_up_until": when(wrap_up.deadline_of(call)) if call.outcome == "answered" else None,
    }


@blueprint.get("/calls")
def list_calls():
    """Calls that started in [from, to), oldest first; default the last 7 days."""
    tz = line_timezone()
    end = v.query_instant("to", tz) or now()
    start = v.query_instant("from", tz) or end - DEFAULT_PERIOD
    if end <= start:
        raise BadRequest("query parameter to must come after from")
    if end - start > MAX_PERIOD:
        raise BadRequest(f"a period may span at most {MAX_PERIOD.days} days; ask for it in parts")
    with current_services().db.session() as session:
        rows = session.execute(
            select(Call, CallWrapUp).outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
            .where(Call.started_at >= start, Call.started_at < end).order_by(Call.started_at, Call.id)).all()
        return {"from": when(start), "to": when(end), "calls": [call_json(call, row) for call, row in rows]}


@blueprint.get("/calls/<int:call_id>")
def get_call(call_id: int):
    with current_services().db.session() as session:
        found = session.execute(select(Call, CallWrapUp).outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
                                .where(Call.id == call_id)).first()
        if found is None:
            raise NotFound(f"there is no call with id {call_id}")
        return call_json(*found)


def _check_answered_by_caller(session, caller: Caller, call_id: int) -> None:
    """A staff token wraps up only the calls its owner answered (a call nobody answered is left to
    the wrap-up rules, which say so)."""
    if caller.is_supervisor:
        return
    answered_by = session.execute(select(Call.answered_by_id).where(Call.id == call_id)).first()
    if answered_by is None:
        raise NotFound(f"there is no call with id {call_id}")
    if answered_by.answered_by_id is not None and not caller.may_act_for(answered_by.answered_by_id):
        raise Forbidden(f"call {call_id} was answered by someone else; only they or a supervisor may wrap it up")


@blueprint.post("/calls/<int:call_id>/wrap-up")
@staff_may_write
def wrap_up_call(call_id: int):
    body = v.json_object()
    v.check_fields(body, WRAP_UP_FIELDS, required=("outcome",))
    outcome = v.choice(body, "outcome", WRAP_UP_OUTCOMES)
    service_id = v.integer(body, "service_id", minimum=1, maximum=2**31 - 1) if body.get("service_id") is not None \
        else None
    topic = v.optional_text(body, "topic", max_length=TOPIC_MAX)
    caller = current_caller()
    actor = wrap_up.WrapUpActor(caller.staff_id, caller.is_supervisor)
    with current_services().db.session() as session:
        _check_answered_by_caller(session, caller, call_id)
        try:
            row = wrap_up.record(session, call_id, outcome=outcome, service_id=service_id, topic=topic, actor=actor,
                                 via="api", now=now())
        except wrap_up.CallNotFound as error:
            raise NotFound(error.message) from None
        except wrap_up.WrapUpRefused as error:
            if error.reason is WrapUpRefusal.NOT_YOURS:
                raise Forbidden(error.message) from None
            raise Conflict(error.message) from None
        except ServiceRefused as error:
            raise Unprocessable(f"service_id: {error.message}") from None
        return call_json(session.get(Call, call_id), row)
