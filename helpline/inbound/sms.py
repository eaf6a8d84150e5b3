"""An SMS to the line's number: store it once, decide what it asks, change the callback, reply.

The rules (contract §4, and the command table in docs/contract-decisions.md):

- Every message is stored (InboundSms, unique on MessageSid). A repeated delivery of the same
  MessageSid changes nothing and sends no second reply.
- STOP (Twilio's opt-out words, alone) from any number is remembered, so nothing more is sent
  to it; Twilio itself confirms it to the sender, so we do not reply. When a staff member stops
  SMS, the supervisors on duty are told. START undoes it; an active staff member gets a short
  confirmation.
- From a number that is not an active staff member, a reply to the caller-feedback question
  (helpline.feedback.callers) is recorded against its callback; anything else is a message in
  the number's conversation with the line (helpline.inbound.conversation: contract section 7).
  STOP and START from a caller are noted in their open conversation.
- An active staff member's bare score ("4") while their monthly wellbeing question is open is
  their pulse answer (helpline.feedback.pulse), kept apart from their name.
- Active staff: OK, DONE, PASS, CALL, REPLY, HELP (helpline.sms.commands reads the words); a
  command without a reference means the sender's only open callback. ``DONE 12 REF <service>``
  closes it as referred to that service (its code or a unique start of its name), and the caller
  is texted the service's details; ``WRAP <outcome> ...`` wraps up the sender's latest live call
  (helpline.directory.wrap_up). Mistakes get a reply saying what went wrong and how to write it.
  A REPLY that went to the caller gets no reply of
  its own (the caller's answer is the confirmation, and the page shows it); one that could not
  go says why (closed, STOP, too long, empty).
- A text from a number a supervisor blocked (helpline.blocks) changes nothing: it is kept
  without its number or words, and only STOP is remembered.
- Replies go through the outbox (durable, rate limited) under ``reply:<MessageSid>``, and at
  most REPLY_CAP of them to one number per REPLY_WINDOW: an auto-responder answering our
  replies meets silence after that, so two machines can never text each other for ever.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpline import texts
from helpline.blocks.store import is_blocked
from helpline.services import current_services
from helpline.sms import conversation_texts
from helpline.sms import texts as sms_text
from helpline.callbacks.actions import (
    ActionRefused, Actor, AlreadyClosed, CallbackNotFound, NotYours, acknowledge, close_by_sms, open_refs_of,
    pass_back,
)
from helpline.callbacks.call_back import CallInProgress, request_call
from helpline.callbacks.replies import (
    CallerCannotGetSms, CallerOptedOut, ChatEnded, EmptyReply, ReplyTooLong, send_reply,
)
from helpline.directory import referrals, wrap_up
from helpline.directory.rules import NotResolved, Unresolved, resolve
from helpline.directory.store import all_facts
from helpline.feedback import callers as caller_feedback, pulse
from helpline.inbound import conversation
from helpline.models import InboundSms, OutboundSms, Staff
from helpline.sms.outbox import clear_opt_out, insert_ignoring_conflicts, is_opted_out, mark_opted_out, queue_sms
from helpline.phones import caller_id
from helpline.rota.load import staff_on_duty
from helpline.sms import directory_texts
from helpline.sms.commands import (
    Command, CommandKind, ParseError, ParseProblem, TargetError, parse_command, resolve_reference,
)

log = logging.getLogger(__name__)

REPLY_PURPOSE = "command_reply"
REPLY_CAP = 5
REPLY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class IncomingSms:
    message_sid: str
    from_value: str
    to: str
    body: str


def store(session: Session, sms: IncomingSms, now: datetime, *, staff_id: int | None = None) -> int | None:
    """Keep the message; None when this MessageSid was stored before (a repeated delivery)."""
    return session.execute(
        insert_ignoring_conflicts(session, InboundSms)
        .values(message_sid=sms.message_sid, from_number=sms.from_value[:40], to_number=sms.to[:40], body=sms.body,
                staff_id=staff_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["message_sid"])
        .returning(InboundSms.id)
    ).scalar_one_or_none()


def receive(session: Session, sms: IncomingSms, now: datetime) -> str:
    """Handle one incoming SMS in ``session``'s transaction. Returns what happened, for the log."""
    inbound_id = store(session, sms, now)
    if inbound_id is None:
        return "duplicate"
    number = caller_id(sms.from_value)
    staff = _staff_at(session, number)
    inbound = session.get(InboundSms, inbound_id)
    inbound.staff_id = staff.id if staff is not None else None
    inbound.processed_at = now
    command = parse_command(sms.body)

    if (staff is None or not staff.active) and is_blocked(session, current_services().settings.secret_key, number,
                                                          now):
        return _from_blocked(session, inbound, number, command, now)
    if isinstance(command, Command) and command.kind is CommandKind.STOP and number is not None:
        is_new = mark_opted_out(session, number, now, source="stop-sms")
        if staff is not None and is_new:
            _tell_supervisors(session, staff, sms.message_sid, now)
        if (staff is not None and staff.active) or not is_new:
            return "opted out"
        return conversation.caller_stopped(session, number, now, sms.message_sid)
    if staff is None or not staff.active:
        if number is None:
            log.info("SMS %s from %r, a number one cannot answer: ignored", sms.message_sid, sms.from_value)
            return "ignored: no number to answer"
        if isinstance(command, Command) and command.kind is CommandKind.START and clear_opt_out(session, number):
            return conversation.caller_started(session, number, now)
        # START, YES or UNSTOP from a number that never said STOP is just a word: "Yes" to "may I call you?"
        answered = caller_feedback.record_reply(session, number, sms.body, now)
        if answered is not None:
            return answered
        return conversation.receive_caller_text(session, current_services().settings, number=number,
                                                inbound_id=inbound_id, body=sms.body, now=now)

    language = texts.pick_language(getattr(command, "language", None), *(staff.languages or ()))
    if isinstance(command, ParseError):
        pulse_reply = pulse.record_answer(session, staff, inbound_id, sms.body, now)
        if pulse_reply is not None:
            return _reply(session, staff, sms, pulse_reply, now, "wellbeing pulse answer")
        return _reply(session, staff, sms, _parse_error_text(command, language), now, "parse error")
    if command.kind is CommandKind.START:
        clear_opt_out(session, staff.phone)
        return _reply(session, staff, sms, texts.sms("opted_in", language), now, "opted in")
    if command.kind is CommandKind.HELP:
        help_text = (f"{texts.sms('help', language)} {directory_texts.help_more(language)} "
                     f"{conversation_texts.help_reply(language)}")
        return _reply(session, staff, sms, help_text, now, "help")
    if command.kind is CommandKind.WRAP:
        try:
            text = wrap_up.by_sms(session, staff, command, language, current_services().settings, now)
        except wrap_up.WrapUpRefused:  # the window closed between finding the call and writing
            text = directory_texts.nothing_to_wrap_up(language)
        return _reply(session, staff, sms, text, now, "wrap-up")

    target = resolve_reference(command, open_refs_of(session, staff.id))
    if isinstance(target, TargetError):
        return _reply(session, staff, sms, sms_text.target_error(target, language), now, f"target: {target.problem}")
    try:
        text = _act(session, staff, command, target, language, now, inbound_id)
    except ActionRefused as refusal:
        text = _refusal_text(refusal, target, language)
        log.info("SMS %s from staff %s: %s refused: %s", sms.message_sid, staff.id, command.kind, refusal.message)
    if text is None:
        return f"{command.kind} #{target}"
    return _reply(session, staff, sms, text, now, f"{command.kind} #{target}")


BLOCKED_SENDER = "blocked"


def _from_blocked(session: Session, inbound: InboundSms, number: str, command: object, now: datetime) -> str:
    """A text from a blocked number changes nothing: no conversation, no feedback answer, no reply.

    It is kept (so a repeated delivery stays one) without its number or words, which retention
    would otherwise never remove (it belongs to no callback). STOP alone is still remembered:
    sending nothing more is what the sender asked, and what the block wants too.
    """
    inbound.from_number, inbound.body = BLOCKED_SENDER, ""
    if isinstance(command, Command) and command.kind is CommandKind.STOP:
        mark_opted_out(session, number, now, source="stop-sms")
        return "from a blocked number: opted out, nothing else"
    return "ignored: from a blocked number"


def _act(session: Session, staff: Staff, command: Command, ref: int, language: str, now: datetime,
         inbound_id: int) -> str | None:
    """Do what the command says; the text to answer the sender with (None: no answer)."""
    actor = Actor.of(staff)
    if command.kind is CommandKind.REPLY:
        send_reply(session, ref, command.note, now, actor=actor, via="sms", inbound_sms_id=inbound_id)
        return None
    if command.kind is CommandKind.OK:
        acknowledge(session, ref, actor, now)
        return texts.sms("acknowledged", language, ref=ref)
    if command.kind is CommandKind.DONE and command.referral is not None:
        found = resolve(command.referral, all_facts(session))
        if isinstance(found, NotResolved):
            return _unresolved_text(found, ref, language)
        callback = close_by_sms(session, ref, actor, found.rest or None, now, service_id=found.service.id)
        return directory_texts.closed_referred(ref, found.service.names[0], referrals.was_texted(session, callback.id),
                                               language)
    if command.kind is CommandKind.DONE:
        close_by_sms(session, ref, actor, command.note, now)
        return texts.sms("closed", language, ref=ref)
    if command.kind is CommandKind.PASS:
        pass_back(session, ref, actor, now)
        return texts.sms("passed", language, ref=ref)
    if command.kind is CommandKind.CALL:
        request_call(session, ref, actor, staff.phone, language, now)
        return texts.sms("calling", language, ref=ref)
    raise AssertionError(f"unhandled command {command.kind}")


def _parse_error_text(error: ParseError, language: str) -> str:
    if error.problem is ParseProblem.MISSING_SERVICE:
        return directory_texts.missing_service(error.ref, texts.pick_language(error.language, language))
    if error.problem is ParseProblem.BAD_OUTCOME:
        return directory_texts.wrap_up_usage(texts.pick_language(error.language, language))
    return sms_text.parse_error(error, language)


def _unresolved_text(found: NotResolved, ref: int, language: str) -> str:
    if found.problem is Unresolved.AMBIGUOUS:
        return directory_texts.ambiguous_service(ref, found.written, [facts.code for facts in found.candidates],
                                                 language)
    return directory_texts.unknown_service(ref, found.written, language)


def _refusal_text(refusal: ActionRefused, ref: int, language: str) -> str:
    if isinstance(refusal, CallInProgress):
        return texts.sms("call_in_progress", language, ref=ref)
    if isinstance(refusal, EmptyReply):
        return conversation_texts.reply_empty(ref, language)
    if isinstance(refusal, ReplyTooLong):
        return conversation_texts.reply_too_long(ref, refusal.parts, language)
    if isinstance(refusal, CallerOptedOut):
        return conversation_texts.reply_opted_out(ref, language)
    if isinstance(refusal, ChatEnded):
        return conversation_texts.reply_chat_ended(ref, language)
    if isinstance(refusal, CallerCannotGetSms):
        return conversation_texts.reply_no_sms(ref, language)
    text_id = {CallbackNotFound: "error_not_found", AlreadyClosed: "error_already_closed",
               NotYours: "error_not_yours"}[type(refusal)]
    return texts.sms(text_id, language, ref=ref)


def _staff_at(session: Session, number: str | None) -> Staff | None:
    """The staff member with this number, locked: one sender's messages are handled one at a time
    (their open callbacks and their reply count stay what this message saw)."""
    if number is None:
        return None
    return session.scalar(select(Staff).where(Staff.phone == number).with_for_update())


def replies_within(session: Session, number: str, now: datetime) -> int:
    return session.scalar(
        select(func.count()).select_from(OutboundSms)
        .where(OutboundSms.to_number == number, OutboundSms.purpose == REPLY_PURPOSE,
               OutboundSms.created_at > now - REPLY_WINDOW)
    ) or 0


def _reply(session: Session, staff: Staff, sms: IncomingSms, body: str, now: datetime, outcome: str) -> str:
    if is_opted_out(session, staff.phone):
        log.info("no reply to %s: the number has opted out of SMS (STOP)", sms.message_sid)
        return f"{outcome}; no reply (opted out)"
    sent = replies_within(session, staff.phone, now)
    if sent >= REPLY_CAP:
        log.warning("no reply to SMS %s from staff %s: %d replies in the last %s already (an auto-responder?)",
                    sms.message_sid, staff.id, sent, REPLY_WINDOW)
        return f"{outcome}; no reply (reply cap)"
    queue_sms(session, to=staff.phone, body=body, purpose=REPLY_PURPOSE, dedupe_key=f"reply:{sms.message_sid}",
              now=now, staff_id=staff.id)
    return outcome


def _tell_supervisors(session: Session, staff: Staff, message_sid: str, now: datetime) -> None:
    supervisors = [duty for duty in staff_on_duty(session, now)
                   if duty.role == "supervisor" and duty.active and duty.staff_id != staff.id]
    if not supervisors:
        log.warning("staff %s opted out of SMS and no supervisor is on duty to tell", staff.id)
    for duty in supervisors:
        language = texts.pick_language(*duty.languages)
        queue_sms(session, to=duty.phone, body=sms_text.opt_out_alert(staff.name, staff.phone, language),
                  purpose="opt_out_alert", dedupe_key=f"opt-out-alert-{message_sid}-{duty.staff_id}", now=now,
                  staff_id=duty.staff_id)
