"""Retention: recordings and caller numbers are kept RETENTION_DAYS after closing, then removed.

After that many days (default 90) past a callback's closing, or past a call that left no
callback (answered live, hung up withheld):

- each recording of the callback is deleted at Twilio (DELETE .../Recordings/<sid>.json) and
  its VoiceMessage marked ``deleted_at``; one that Twilio could not delete is tried again on
  the next run (a 404 means it is gone already, which is what we wanted);
- the caller's number is masked everywhere it was kept: ``Call.caller`` becomes NULL with
  ``Call.caller_hash`` (the keyed hash of helpline.metrics.identity) set first, so repeat
  callers stay countable; the callback's and its calls back's ``caller`` become "masked"; SMS
  to the caller lose their number, and every SMS of the callback's lifetime that wrote the
  number (staff assignments, reminders) has it replaced; SMS the caller sent lose theirs, and
  so does the caller-feedback question (its score and words stay: they name nobody's number).
- a conversation by text loses its words like a recording: every message's text is emptied
  (``scrubbed_at`` set; who wrote when stays, for the figures), the caller's SMS lose their
  bodies, and the SMS that carried the words (replies, forwarded texts, a conversation's
  assignment and handover) have their bodies replaced. A web chat is scrubbed the same way, and
  its browser's hashed secret (chat_visitor) is deleted.
- A number that said STOP stays in sms_opt_out: that is a promise to keep, not a record.
- A blocked number (helpline.blocks) was never kept, only its keyed hash, so masking cannot undo
  a block. A block that has ended is deleted RETENTION_DAYS after its end (until then the API
  still answers for its id); the audit log keeps that it was made and lifted, never the number.

The figures stay: every row is kept, only numbers and recordings go, and the metrics count
callers by the same hash before and after. Run it daily (``helpline retention``, or the RQ job
``helpline.queue.retention.run_retention``); it is idempotent and does a bounded batch a run.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from helpline.blocks import store as blocks
from helpline.feedback.rules import FEEDBACK_REPLY_WINDOW
from helpline.metrics.identity import CallerKeys
from helpline.models import (
    Call, CallbackCall, CallbackRequest, Channel, ChatVisitor, ConversationMessage, FeedbackRequest, InboundSms,
    OutboundSms, VoiceMessage,
)
from helpline.services import Services
from helpline.telephony.errors import TwilioError

log = logging.getLogger(__name__)

MASKED = "masked"
REMOVED = "(number removed)"
TEXT_REMOVED = "(text removed)"
# The SMS of a conversation that carry someone's words (helpline.callbacks.replies, helpline.queue.conversation_sms).
WORDS_PURPOSES = ("conversation_reply", "forwarded_text")
# ... and, when the callback began as a text, its assignment SMS too (they quote the caller).
ASSIGNMENT_PURPOSES = ("assignment", "handover")
BATCH = 500
# SMS that may name a callback's number: from its creation until a day after it closed.
SMS_WINDOW_AFTER_CLOSING = timedelta(days=1)
# SMS the caller sent: also their answers to the feedback question, which come up to
# FEEDBACK_REPLY_WINDOW after it went out (the morning after closing at the latest).
INBOUND_WINDOW_AFTER_CLOSING = SMS_WINDOW_AFTER_CLOSING + FEEDBACK_REPLY_WINDOW


@dataclass
class RetentionReport:
    recordings_deleted: int = 0
    recordings_already_gone: int = 0
    recordings_failed: int = 0
    callbacks_masked: int = 0
    calls_masked: int = 0
    sms_scrubbed: int = 0
    texts_scrubbed: int = 0
    blocks_removed: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{field.name.replace('_', ' ')} {getattr(self, field.name)}" for field in fields(self))


def run_retention() -> str:
    """RQ job: one retention run with the worker's services."""
    from helpline.services import current_services

    report = purge_expired(current_services())
    log.info("retention: %s", report)
    return str(report)


def purge_expired(line: Services, now: datetime | None = None, *, batch: int = BATCH) -> RetentionReport:
    now = now or line.clock.now()
    cutoff = now - timedelta(days=line.settings.retention_days)
    report = RetentionReport()
    _delete_recordings(line, cutoff, now, report, batch)
    keys = CallerKeys(line.settings.secret_key)
    with line.db.session() as session:
        _mask_callbacks(session, cutoff, keys, report, batch, now)
        _mask_lone_calls(session, cutoff, keys, report, batch)
        report.blocks_removed = blocks.delete_ended_before(session, cutoff)
    return report


def _delete_recordings(line: Services, cutoff: datetime, now: datetime, report: RetentionReport, batch: int) -> None:
    """Talk to Twilio outside any transaction; mark each recording as soon as it is gone."""
    with line.db.session() as session:
        due = session.execute(
            select(VoiceMessage.id, VoiceMessage.recording_sid)
            .join(CallbackRequest, CallbackRequest.id == VoiceMessage.callback_id)
            .where(VoiceMessage.deleted_at.is_(None), CallbackRequest.closed_at < cutoff)
            .order_by(VoiceMessage.id).limit(batch)
        ).all()
    if not due:
        return
    for message_id, sid in due:
        try:
            deleted = line.twilio.delete_recording(sid)
        except TwilioError as error:
            report.recordings_failed += 1
            log.warning("retention: %s; trying again on the next run", error.message)
            continue
        if deleted:
            report.recordings_deleted += 1
        else:
            report.recordings_already_gone += 1
        with line.db.session() as session:
            session.execute(update(VoiceMessage).where(VoiceMessage.id == message_id, VoiceMessage.deleted_at.is_(None))
                            .values(deleted_at=now))


def _mask_callbacks(session: Session, cutoff: datetime, keys: CallerKeys, report: RetentionReport,
                    batch: int, now: datetime) -> None:
    expired = session.execute(
        select(CallbackRequest.id, CallbackRequest.caller, CallbackRequest.created_at, CallbackRequest.closed_at,
               CallbackRequest.channel)
        .where(CallbackRequest.closed_at < cutoff, CallbackRequest.caller != MASKED)
        .order_by(CallbackRequest.closed_at).limit(batch)
    ).all()
    for callback_id, number, created_at, closed_at, channel in expired:
        report.texts_scrubbed += _scrub_conversation(session, callback_id, channel, now)
        report.calls_masked += _hash_and_clear(session, keys, Call.callback_id == callback_id)
        session.execute(update(CallbackCall).where(CallbackCall.callback_id == callback_id).values(caller=MASKED))
        report.sms_scrubbed += _scrub_sms(session, number, created_at, closed_at + SMS_WINDOW_AFTER_CLOSING,
                                          callback_id)
        session.execute(update(InboundSms).where(InboundSms.from_number == number,
                                                 InboundSms.received_at <= closed_at + INBOUND_WINDOW_AFTER_CLOSING)
                        .values(from_number=MASKED))
        session.execute(update(FeedbackRequest).where(FeedbackRequest.callback_id == callback_id).values(caller=MASKED))
        session.execute(delete(ChatVisitor).where(ChatVisitor.callback_id == callback_id))  # a web chat's browser
        session.execute(update(CallbackRequest).where(CallbackRequest.id == callback_id).values(caller=MASKED))
        report.callbacks_masked += 1


def _scrub_conversation(session: Session, callback_id: int, channel: str, now: datetime) -> int:
    """The words of a conversation by text, wherever they were kept; how many messages lost theirs."""
    inbound_ids = [row for row in session.scalars(
        select(ConversationMessage.inbound_sms_id).where(ConversationMessage.callback_id == callback_id,
                                                         ConversationMessage.inbound_sms_id.is_not(None)))]
    if inbound_ids:
        session.execute(update(InboundSms).where(InboundSms.id.in_(inbound_ids)).values(body=""))
    purposes = WORDS_PURPOSES + (ASSIGNMENT_PURPOSES if channel != Channel.VOICE.value else ())
    session.execute(update(OutboundSms).where(OutboundSms.callback_id == callback_id, OutboundSms.purpose.in_(purposes))
                    .values(body=TEXT_REMOVED))
    return session.execute(
        update(ConversationMessage).where(ConversationMessage.callback_id == callback_id,
                                          ConversationMessage.scrubbed_at.is_(None))
        .values(text="", scrubbed_at=now)).rowcount


def _mask_lone_calls(session: Session, cutoff: datetime, keys: CallerKeys, report: RetentionReport,
                     batch: int) -> None:
    """Calls that left no callback (answered live, a hang-up) are kept as long after they began."""
    ids = session.scalars(select(Call.id).where(Call.started_at < cutoff, Call.callback_id.is_(None),
                                                Call.caller.is_not(None)).limit(batch)).all()
    if ids:
        report.calls_masked += _hash_and_clear(session, keys, Call.id.in_(ids))


def _hash_and_clear(session: Session, keys: CallerKeys, condition) -> int:
    rows = session.execute(select(Call.id, Call.caller).where(condition, Call.caller.is_not(None))).all()
    for call_id, number in rows:
        session.execute(update(Call).where(Call.id == call_id).values(caller_hash=keys(number), caller=None))
    return len(rows)


def _number_pattern(number: str) -> re.Pattern[str]:
    """The number however it was written: +358 40 1234567, 040-123 4567, 0401234567, ..."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return re.compile(re.escape(number))
    gap = r"[\s-]?"
    digits = gap.join(str(parsed.national_number))
    prefix = rf"(?:\+{gap}{parsed.country_code}|00{gap}{parsed.country_code}|0)"
    return re.compile(rf"(?<!\d){prefix}{gap}\(?{gap}{digits}(?!\d)")


def _scrub_sms(session: Session, number: str, since: datetime, until: datetime, callback_id: int) -> int:
    """The callback's own SMS, and any SMS of its lifetime that wrote its number (reminders
    bundle several callbacks into one)."""
    pattern = _number_pattern(number)
    rows = session.execute(
        select(OutboundSms.id, OutboundSms.to_number, OutboundSms.body)
        .where(or_(OutboundSms.callback_id == callback_id,
                   and_(OutboundSms.created_at >= since, OutboundSms.created_at <= until)))
    ).all()
    changed = 0
    for sms_id, to_number, body in rows:
        values = {"body": pattern.sub(REMOVED, body)}
        if to_number == number:
            values["to_number"] = MASKED
        if values["body"] != body or "to_number" in values:
            session.execute(update(OutboundSms).where(OutboundSms.id == sms_id).values(**values))
            changed += 1
    return changed
