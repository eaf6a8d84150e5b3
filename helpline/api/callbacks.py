"""/api/callbacks: the callback queue, closing a callback once someone has called back, and
replying to a caller who wrote (contract section 7).

Staff tokens may close callbacks as well as supervisors: staff are the ones who call back. Closing
is the same transition as the SMS command DONE (helpline.callbacks.actions.close_callback), guarded
in the database (``status != 'closed'`` in the UPDATE), so two closes racing cannot both win; the
loser gets 409. Replying is the same as REPLY by SMS (helpline.callbacks.replies.send_reply), by
staff tokens too: 201, or 409 (closed, the caller said STOP or cannot get an SMS), 422 (empty,
longer than three SMS segments).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.auth import current_caller, staff_may_write
from helpline.api.common import fetch, now, when
from helpline.api.errors import Conflict, Forbidden, NotFound, Unprocessable
from helpline.callbacks.actions import AlreadyClosed, CallbackNotFound
from helpline.callbacks.actions import close_callback as close_callback_transition
from helpline.callbacks.replies import CallerCannotGetSms, CallerOptedOut, EmptyReply, ReplyTooLong, send_reply
from helpline.directory.store import ServiceRefused
from helpline.models import OPEN_STATUSES, CallbackOutcome, CallbackRequest, CallbackStatus, ConversationMessage

blueprint = Blueprint("callbacks", __name__)

STATUS_FILTERS = ("open", "closed", "all")
OUTCOMES = tuple(outcome.value for outcome in CallbackOutcome)
CLOSE_FIELDS = ("outcome", "note", "topic", "service_id")
REPLY_FIELDS = ("text",)
# A reply longer than this cannot fit in three segments whatever it holds; refused before measuring.
REPLY_TEXT_MAX = 2000
NOTE_MAX = 2000
TOPIC_MAX = 80
DEFAULT_HISTORY_LIMIT = 100


def callback_json(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "id": callback.id,
        "caller": callback.caller,
        "channel": callback.channel,
        "status": callback.status,
        "has_message": callback.has_message,
        "assignee_id": callback.assignee_id,
        "created_at": when(callback.created_at),
        "acknowledged_at": when(callback.acknowledged_at),
        "closed_at": when(callback.closed_at),
        "outcome": callback.outcome,
        "topic": callback.topic,
        "service_id": callback.service_id,
        "note": callback.note,
        "language": callback.language,
        "call_count": callback.call_count,
        "last_call_at": when(callback.last_call_at),
        "assigned_at": when(callback.assigned_at),
        "reminders_sent": callback.reminders_sent,
    }


def callback_detail_json(callback: CallbackRequest) -> dict[str, Any]:
    return {
        **callback_json(callback),
        "messages": [
            {"id": m.id, "created_at": when(m.created_at), "duration_seconds": m.duration_seconds,
             "usable": m.is_usable}
            for m in callback.messages
        ],
        "events": [
            {"at": when(e.at), "kind": e.kind, "staff_id": e.staff_id, "detail": e.detail or {}}
            for e in callback.events
        ],
        "conversation": [message_json(message) for message in callback.conversation],
    }


def message_json(message: ConversationMessage) -> dict[str, Any]:
    """One message of a conversation; ``automatic``: the line's own answer outside office hours."""
    return {"at": when(message.at), "from": message.sender, "text": message.text, "staff_id": message.staff_id,
            "automatic": message.automatic}


@blueprint.get("/callbacks")
def list_callbacks():
    """Open ones oldest first (all of them); closed and all newest first, the latest ``limit``."""
    status = v.query_choice("status", STATUS_FILTERS, default="open")
    limit = v.query_integer("limit", default=None, minimum=1, maximum=1000)
    query = select(CallbackRequest).options(selectinload(CallbackRequest.messages))
    if status == "open":
        query = query.where(CallbackRequest.status.in_(OPEN_STATUSES))
        query = query.order_by(CallbackRequest.created_at, CallbackRequest.id)
    else:
        if status == "closed":
            query = query.where(CallbackRequest.status == CallbackStatus.CLOSED.value)
            query = query.order_by(CallbackRequest.closed_at.desc(), CallbackRequest.id.desc())
        else:
            query = query.order_by(CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
        limit = limit or DEFAULT_HISTORY_LIMIT
    if limit is not None:
        query = query.limit(limit)
    with current_services().db.session() as session:
        return {"callbacks": [callback_json(callback) for callback in session.scalars(query)]}


@blueprint.get("/callbacks/<int:callback_id>")
def get_callback(callback_id: int):
    with current_services().db.session() as session:
        return callback_detail_json(fetch(session, CallbackRequest, callback_id, "callback"))


def _check_staff_holds(session, caller, callback_id: int, verb: str) -> None:
    """As on the pages: a staff token acts only on callbacks assigned to its owner. The row is
    locked on PostgreSQL, so a hand-over cannot slip in between this check and the change."""
    if caller.is_supervisor:
        return
    held = session.execute(select(CallbackRequest.assignee_id).where(CallbackRequest.id == callback_id)
                           .with_for_update()).first()
    if held is None:
        raise NotFound(f"there is no callback with id {callback_id}")
    if not caller.may_act_for(held.assignee_id):
        raise Forbidden(f"callback #{callback_id} is not assigned to the owner of the token "
                        f"'{caller.name}'; staff may {verb} only their own callbacks")


@blueprint.post("/callbacks/<int:callback_id>/close")
@staff_may_write
def close_callback(callback_id: int):
    body = v.json_object()
    v.check_fields(body, CLOSE_FIELDS, required=("outcome",))
    outcome = v.choice(body, "outcome", OUTCOMES)
    # A note or topic left out keeps whatever was there.
    note = v.optional_text(body, "note", max_length=NOTE_MAX)
    topic = v.optional_text(body, "topic", max_length=TOPIC_MAX)
    # referred only: the service the caller was sent to; the caller is texted its details.
    service_id = v.integer(body, "service_id", minimum=1, maximum=2**31 - 1) if body.get("service_id") is not None \
        else None
    caller = current_caller()
    with current_services().db.session() as session:
        _check_staff_holds(session, caller, callback_id, "close")
        try:
            callback = close_callback_transition(
                session, callback_id, outcome, note, topic, caller.staff_id, now(), via="api",
                detail={"token": caller.name, "role": caller.role}, service_id=service_id)
        except CallbackNotFound as error:
            raise NotFound(error.message) from None
        except AlreadyClosed as error:
            raise Conflict(f"callback #{callback_id} is already closed (at {when(error.closed_at)}, "
                           f"{error.outcome or 'no outcome'})") from None
        except ServiceRefused as error:
            raise Unprocessable(f"service_id: {error.message}") from None
        session.flush()
        session.refresh(callback)
        return callback_detail_json(callback)


@blueprint.post("/callbacks/<int:callback_id>/reply")
@staff_may_write
def reply(callback_id: int):
    body = v.json_object()
    v.check_fields(body, REPLY_FIELDS, required=("text",))
    text = v.optional_text(body, "text", max_length=REPLY_TEXT_MAX)
    caller = current_caller()
    with current_services().db.session() as session:
        _check_staff_holds(session, caller, callback_id, "answer")
        try:
            sent = send_reply(session, callback_id, text, now(), actor=None, via="api",
                              detail={"token": caller.name, "role": caller.role})
        except CallbackNotFound as error:
            raise NotFound(error.message) from None
        except AlreadyClosed as error:
            raise Conflict(f"callback #{callback_id} is closed (at {when(error.closed_at)}); "
                           "a reply can no longer be sent") from None
        except (CallerOptedOut, CallerCannotGetSms) as error:
            raise Conflict(error.message) from None
        except (EmptyReply, ReplyTooLong) as error:
            raise Unprocessable(error.message) from None
        message = session.get(ConversationMessage, sent.message_id)
        answer = message_json(message)
    return answer, 201, {"Location": f"/api/callbacks/{callback_id}"}
