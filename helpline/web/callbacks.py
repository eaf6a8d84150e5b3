"""The callbacks: a list with filters, each one's history, its conversation by text with a reply
form, the close form, and a player.

Staff see, answer and close the callbacks assigned to them; supervisors see, answer and close any.
Closing is the shared transition (helpline.callbacks.actions.close_callback), the same one the
API and the DONE SMS use; replying is helpline.callbacks.replies.send_reply, the same as REPLY by
SMS and POST /api/callbacks/<id>/reply: the caller gets it from the line's number. The player's audio comes through this app (the recording route below streams it
from Twilio with our credentials), so it needs a signed-in session and never exposes a Twilio URL.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import and_, exists, func, select
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpline.services import current_services
from helpline.callbacks.actions import ActionRefused, Actor, AlreadyClosed, CallbackNotFound, NotYours, close_callback
from helpline.callbacks.conversation_rules import REPLY_MAX_SEGMENTS, room_for_reply
from helpline.callbacks.replies import (
    CallerCannotGetSms, CallerOptedOut, ChatEnded, EmptyReply, ReplyTooLong, send_reply,
)
from helpline.directory.store import ServiceRefused
from helpline.inbound.chat import chat_ended
from helpline.phones import is_chat_visitor
from helpline.web.i18n import when
from helpline.ids import MAX_ID, parse_id
from helpline.models import OPEN_STATUSES, CallbackRequest, CallbackStatus, Channel, Service, Staff, VoiceMessage
from helpline.sms.outbox import is_opted_out
from helpline.telephony.errors import NotFound, TwilioError
from helpline.rota.localtime import day_bounds
from helpline.web.auth import SignedIn, current_user, login_required, not_found
from helpline.web.callback_history import OUTCOMES, history
from helpline.web.calls import referral_checked, service_choices
from helpline.web.recording_audio import recording_response
from helpline.web.dates import DateInputError, parse_day

blueprint = Blueprint("callbacks", __name__, url_prefix="/callbacks")

PAGE_SIZE = 50
NOTE_MAX = 2000
TOPIC_MAX = 80


class CloseForm(FlaskForm):
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice(value, label) for value, label in OUTCOMES.items()], validators=[DataRequired(
        message=_l("Choose how it ended."))])
    service_id = SelectField(_l("Referred to"), coerce=int, default=0, validators=[Optional()],
                             description=_l("Only when referred elsewhere: the caller is texted the service's "
                                            "name, phone, web address and hours."))
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=TOPIC_MAX)],
                        description=_l("A word or two for the statistics, like \"loneliness\"."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])


REPLY_TEXT_MAX = 2000


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Reply to the caller"), validators=[
        DataRequired(message=_l("Write the reply first.")), Length(max=REPLY_TEXT_MAX)])


def _visible(query, user: SignedIn):
    """Staff see only what is assigned to them."""
    return query if user.is_supervisor else query.where(CallbackRequest.assignee_id == user.staff_id)


def _date_param(name: str) -> date | None:
    try:
        return parse_day(request.args.get(name, ""))
    except DateInputError:
        return None


@blueprint.get("/")
@login_required
def index():
    user = current_user()
    assert user is not None
    line = current_services()
    status = request.args.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    message = request.args.get("message", "any")
    assignee = request.args.get("assignee", "") if user.is_supervisor else ""
    since, until = _date_param("from"), _date_param("to")
    # Bounded so that the offset stays a number the database takes; past the end the list is empty.
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_ID // PAGE_SIZE)

    query = select(CallbackRequest, Staff).outerjoin(Staff, Staff.id == CallbackRequest.assignee_id)
    query = _visible(query, user)
    if status == "open":
        query = query.where(CallbackRequest.status.in_(OPEN_STATUSES))
    elif status == "closed":
        query = query.where(CallbackRequest.status == CallbackStatus.CLOSED.value)
    if assignee == "none":
        query = query.where(CallbackRequest.assignee_id.is_(None))
    elif parse_id(assignee) is not None:
        query = query.where(CallbackRequest.assignee_id == parse_id(assignee))
    usable = exists().where(and_(VoiceMessage.callback_id == CallbackRequest.id, VoiceMessage.deleted_at.is_(None),
                                 VoiceMessage.recording_status.not_in(("absent", "failed"))))
    if message == "with":
        query = query.where(usable)
    elif message == "without":
        query = query.where(~usable)
    tz = line.settings.timezone
    if since:
        query = query.where(CallbackRequest.created_at >= day_bounds(since, tz)[0])
    if until:
        query = query.where(CallbackRequest.created_at < day_bounds(until, tz)[1])
    # Open ones oldest first (who has waited longest); closed ones newest first.
    order = (CallbackRequest.created_at, CallbackRequest.id) if status == "open" else (
        CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
    with line.db.session() as db:
        total = db.scalar(select(func.count()).select_from(query.subquery()))
        rows = db.execute(query.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        people = db.scalars(select(Staff).order_by(Staff.name)).all() if user.is_supervisor else []
        filters = {"status": status, "message": message, "assignee": assignee,
                   "from": since.isoformat() if since else "", "to": until.isoformat() if until else ""}
        return render_template("callbacks/list.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                               filters=filters, people=people)


def _load(db, callback_id: int, user: SignedIn) -> CallbackRequest | None:
    return db.scalar(_visible(select(CallbackRequest).where(CallbackRequest.id == callback_id), user))


@blueprint.get("/<int:callback_id>")
@login_required
def detail(callback_id: int):
    return _detail_page(callback_id, CloseForm(), 200)


def _detail_page(callback_id: int, form: CloseForm, status: int, reply_form: ReplyForm | None = None):
    user = current_user()
    assert user is not None
    with current_services().db.session() as db:
        callback = _load(db, callback_id, user)
        if callback is None:
            return not_found()
        assignee = db.get(Staff, callback.assignee_id) if callback.assignee_id else None
        form.service_id.choices = service_choices(db)
        service = db.get(Service, callback.service_id) if callback.service_id else None
        names = dict(db.execute(select(Staff.id, Staff.name)).all())
        opted_out = callback.caller.startswith("+") and is_opted_out(db, callback.caller)
        ended = callback.channel == Channel.CHAT.value and chat_ended(db, callback.id)
        return render_template("callbacks/detail.html", callback=callback, assignee=assignee, form=form,
                               chat_ended=ended, is_chat_visitor=is_chat_visitor(callback.caller),
                               entries=history(db, callback), outcomes=OUTCOMES, service=service,
                               who=lambda message: _who(message, names, callback.channel),
                               reply_form=reply_form or ReplyForm(), caller_opted_out=opted_out,
                               reply_room=(REPLY_MAX_SEGMENTS, room_for_reply("GSM-7"), room_for_reply("UCS-2")),
                               is_voice=callback.channel == Channel.VOICE.value), status


@blueprint.get("/<int:callback_id>/conversation.json")
@login_required
def conversation_json(callback_id: int):
    """The conversation for the page's own refresh (static/thread.js): each message's id, who
    wrote it and when (in the reader's words), and its text, which the script shows as text."""
    user = current_user()
    assert user is not None
    with current_services().db.session() as db:
        callback = _load(db, callback_id, user)
        if callback is None:
            return jsonify(error="not_found"), 404
        names = dict(db.execute(select(Staff.id, Staff.name)).all())
        said = [{"id": message.id, "sender": message.sender, "who": _who(message, names, callback.channel),
                 "at": when(message.at), "text": message.text, "scrubbed": message.scrubbed_at is not None}
                for message in callback.conversation]
        response = jsonify(messages=said, open=callback.is_open,
                           ended=callback.channel == Channel.CHAT.value and chat_ended(db, callback.id))
    response.headers["Cache-Control"] = "no-store"
    return response


def _who(message, names: dict[int, str], channel: str) -> str:
    """Who wrote ``message``, as the thread shows it (the page and its refresh alike)."""
    if message.sender == "caller":
        if message.via == "chat" and channel != Channel.CHAT.value:
            # Someone in the web chat typed this callback's number: a typed number proves nothing.
            return _("In the web chat, giving this number (not verified)")
        return _("Caller")
    if message.automatic:
        return _("The line, automatically (closed)")
    if message.staff_id:
        return _("The line: %(name)s", name=names.get(message.staff_id, _("a former staff member")))
    return _("The line (through the API)")


@blueprint.post("/<int:callback_id>/reply")
@login_required
def reply(callback_id: int):
    """Text the caller from the line's number (the same as REPLY by SMS)."""
    user = current_user()
    assert user is not None
    form = ReplyForm()
    if not form.validate():
        return _detail_page(callback_id, CloseForm(formdata=None), 422, form)
    line = current_services()
    with line.db.session() as db:
        if _load(db, callback_id, user) is None:
            return not_found()
        try:
            sent = send_reply(db, callback_id, form.text.data, line.clock.now(),
                              actor=Actor(user.staff_id, user.is_supervisor), via="web", detail={"user": user.username})
        except CallbackNotFound:
            return not_found()
        except ActionRefused as refusal:
            db.rollback()
            form.text.errors = [_refusal_words(refusal)]
            return _detail_page(callback_id, CloseForm(formdata=None), 409 if _is_conflict(refusal) else 422, form)
    if sent.outbound_id is None:
        flash(_("Your reply is in the chat: the visitor sees it within a few seconds."), "success")
    else:
        flash(_("Your reply is on its way to the caller, from the line's number."), "success")
    return redirect(url_for(".detail", callback_id=callback_id, _anchor="conversation"))


def _is_conflict(refusal: ActionRefused) -> bool:
    return isinstance(refusal, (AlreadyClosed, NotYours, CallerOptedOut, CallerCannotGetSms, ChatEnded))


def _refusal_words(refusal: ActionRefused) -> str:
    if isinstance(refusal, ReplyTooLong):
        return _("The reply would take %(parts)s SMS segments; at most %(max)s may be sent (about %(room)s "
                 "characters, or %(ucs2)s with emoji). Shorten it or send it in two.", parts=refusal.parts,
                 max=REPLY_MAX_SEGMENTS, room=room_for_reply("GSM-7"), ucs2=room_for_reply("UCS-2"))
    if isinstance(refusal, EmptyReply):
        return _("Write the reply first.")
    if isinstance(refusal, CallerOptedOut):
        return _("The caller has said STOP: the line sends them no SMS. Call them, or close the callback.")
    if isinstance(refusal, CallerCannotGetSms):
        return _("The caller's number cannot get an SMS.")
    if isinstance(refusal, ChatEnded):
        return _("The visitor has ended the chat: a reply would reach no one.")
    if isinstance(refusal, AlreadyClosed):
        return _("This callback is closed; the reply was not sent.")
    return _("This callback is assigned to someone else.")


@blueprint.post("/<int:callback_id>/close")
@login_required
def close(callback_id: int):
    user = current_user()
    assert user is not None
    form = CloseForm()
    line = current_services()
    if not referral_checked(form, _("A service is named only when the caller was referred elsewhere.")):
        return _detail_page(callback_id, form, 422)
    service_id = form.service_id.data or None
    with line.db.session() as db:
        if _load(db, callback_id, user) is None:
            return not_found()
        try:
            close_callback(db, callback_id, form.outcome.data, (form.note.data or "").strip() or None,
                           (form.topic.data or "").strip() or None, user.staff_id, line.clock.now(), via="web",
                           detail={"user": user.username}, service_id=service_id)
        except CallbackNotFound:
            return not_found()
        except ServiceRefused:
            db.rollback()
            form.service_id.errors = [_("That service is no longer in use; choose another.")]
            return _detail_page(callback_id, form, 422)
        except AlreadyClosed:
            flash(_("Callback #%(id)s was already closed; nothing was changed.", id=callback_id), "warning")
            return redirect(url_for(".detail", callback_id=callback_id))
    flash(_("Callback #%(id)s is closed.", id=callback_id), "success")
    return redirect(url_for(".detail", callback_id=callback_id))


@blueprint.get("/<int:callback_id>/messages/<int:message_id>/audio")
@login_required
def recording(callback_id: int, message_id: int):
    user = current_user()
    assert user is not None
    line = current_services()
    with line.db.session() as db:
        if _load(db, callback_id, user) is None:
            return not_found()
        message = db.get(VoiceMessage, message_id)
        if message is None or message.callback_id != callback_id or not message.is_usable:
            return not_found()
        recording_sid = message.recording_sid
    try:
        return recording_response(recording_sid)
    except NotFound:
        return Response(_("The message is no longer stored."), status=410, mimetype="text/plain")
    except TwilioError:
        return Response(_("The message could not be fetched just now; try again shortly."), status=502,
                        mimetype="text/plain")
