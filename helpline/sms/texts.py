"""The SMS that join several texts of the catalogue, composed from plain facts.

Pure: no database, no Twilio. The job wiring gathers the facts (the callback, the listen link it
built, the line's time zone) and sends what these functions return. A text that is one template
filled needs no function here: ``helpline.texts.sms(text_id, language, **fields)``. The words
live in :mod:`helpline.texts`; the encoding rules in :mod:`helpline.sms.gsm7`, re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from helpline import phones
from helpline.callbacks.promise import CallbackPromise, PromiseKind
from helpline.rota.rules import WeeklySchedule
from helpline.sms.commands import ParseError, ParseProblem, TargetError, TargetProblem
from helpline.sms.gsm7 import SmsSize, gsm7_safe, is_gsm7, measure, segments
from helpline.texts import DEFAULT_LANGUAGE, finish_sms, pick_language, render, sms
from helpline.texts.times import WEEKDAYS_ON, call_time, clock, opening_hours, short_date

__all__ = [
    "CallbackFacts", "SmsSize", "assignment", "caller_confirmation", "caller_unreachable", "escalation", "gsm7_safe",
    "handed_over", "is_gsm7", "measure", "opt_out_alert", "parse_error", "promise_text", "reminder", "segments",
    "target_error", "unreachable_closed",
]

_ECHO_MAX = 20


def _piece(text_id: str, language: str, **fields: object) -> str:
    """A part of an SMS, not yet finished (see :func:`helpline.texts.finish_sms`)."""
    return render("sms", text_id, language, **fields)


@dataclass(frozen=True)
class CallbackFacts:
    """What a staff SMS tells about one callback. ``caller`` is E.164; ``called_at`` is the
    latest call (aware); ``listen_url`` is the line's own expiring link, built by the caller of
    these functions, or None when there is no message or no link."""

    ref: int
    caller: str
    called_at: datetime
    has_message: bool = False
    listen_url: str | None = None
    call_count: int = 1


# --- when ----------------------------------------------------------------------------------------


def promise_text(promise: CallbackPromise, language: str = DEFAULT_LANGUAGE) -> str:
    """'tänään ennen klo 15.00', 'huomenna klo 9.00 jälkeen', 'on Monday after 9:00', ..."""
    language = pick_language(language)
    if promise.kind is PromiseKind.ASAP or promise.opens_at is None:
        return _piece("promise_asap", language)
    if promise.kind is PromiseKind.TODAY:
        if promise.closes_at is None:
            return _piece("promise_asap", language)
        return _piece("promise_today", language, closes=clock(promise.closes_at, language))
    opens = clock(promise.opens_at, language)
    if promise.kind is PromiseKind.TOMORROW:
        return _piece("promise_tomorrow", language, opens=opens)
    if promise.kind is PromiseKind.WEEKDAY:
        return _piece("promise_weekday", language, opens=opens,
                      weekday=WEEKDAYS_ON[language][promise.opens_at.weekday()])
    return _piece("promise_date", language, opens=opens, date=short_date(promise.opens_at, language))


# --- to staff --------------------------------------------------------------------------------


def assignment(facts: CallbackFacts, tz: ZoneInfo, language: str = DEFAULT_LANGUAGE, *,
               previous: str | None = None) -> str:
    """The assignee's SMS: the caller's number readable and in E.164, when they called, the
    reference, the message link (or that there is none), and the reply commands. ``previous``
    names whoever had it before (a handover or a PASS)."""
    when = call_time(facts.called_at, tz, language)
    if facts.call_count > 1:
        when = _piece("called_times", language, count=facts.call_count, when=when)
    if facts.has_message and facts.listen_url:
        message = _piece("message_link", language, url=facts.listen_url)
    elif facts.has_message:
        message = _piece("message_no_link", language)
    else:
        message = _piece("no_message", language)
    before = _piece("previous", language, name=previous) if previous else ""
    return sms("assignment", language, previous=before, ref=facts.ref, number=phones.readable(facts.caller),
               e164=facts.caller, when=when, message=message)


def reminder(items: Sequence[CallbackFacts], language: str = DEFAULT_LANGUAGE) -> str:
    """One reminder naming every callback in ``items`` (oldest first, as given)."""
    if not items:
        raise ValueError("a reminder needs at least one callback")
    if len(items) == 1:
        only = items[0]
        return sms("reminder_one", language, ref=only.ref, number=phones.readable(only.caller))
    listed = ", ".join(f"#{item.ref} ({phones.readable(item.caller)})" for item in items)
    return sms("reminder_many", language, items=listed, ref=items[0].ref)


def handed_over(facts: CallbackFacts, new_assignee: str, language: str = DEFAULT_LANGUAGE) -> str:
    """To the previous assignee, whose shift ended: who has the callback now. (The new assignee
    gets :func:`assignment` with ``previous=``.)"""
    return sms("handed_over", language, ref=facts.ref, number=phones.readable(facts.caller), name=new_assignee)


def escalation(facts: CallbackFacts, tz: ZoneInfo, language: str = DEFAULT_LANGUAGE, *, assignee: str | None,
               reminders_sent: int, acknowledged: bool) -> str:
    """To each supervisor on duty: a callback still open after the reminders, and whose it is."""
    state = _piece("acknowledged_state" if acknowledged else "unacknowledged_state", language)
    return sms("escalation", language, ref=facts.ref, number=phones.readable(facts.caller),
               when=call_time(facts.called_at, tz, language), count=reminders_sent,
               name=assignee or _piece("nobody", language), ack=state)


def opt_out_alert(staff_name: str, staff_phone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """To the supervisors: a staff member sent STOP, so the line can no longer text them."""
    return sms("opt_out_alert", language, name=staff_name, number=phones.readable(staff_phone))


# --- replies to commands that went wrong ------------------------------------------------------


def parse_error(error: ParseError, language: str | None = None) -> str:
    """What was wrong with a message and how to write it, in the command word's language when
    it had one, else ``language``, else Finnish."""
    language = pick_language(error.language, language)
    usage = _piece("usage", language)
    if error.problem is ParseProblem.EMPTY:
        return finish_sms(f"{_piece('error_empty', language)} {usage}")
    if error.problem is ParseProblem.UNKNOWN_COMMAND:
        word = (error.word or "")[:_ECHO_MAX]  # a pasted essay is not echoed back whole
        return finish_sms(f"{_piece('error_unknown_command', language, word=word)} {usage}")
    if error.problem is ParseProblem.MISSING_COMMAND:
        digits = (error.word or "").lstrip("#")
        return sms("error_missing_command", language, ref=digits if digits.isdigit() else 12)
    if error.problem is ParseProblem.BAD_REFERENCE:
        return sms("error_bad_reference", language, word=error.word)
    return sms("error_several_references", language, ref=error.ref or 12)


def target_error(error: TargetError, language: str = DEFAULT_LANGUAGE) -> str:
    """A command without a reference when the sender has no open callback, or several."""
    if error.problem is TargetProblem.NONE_OPEN:
        return sms("error_none_open", language)
    refs = ", ".join(f"#{ref}" for ref in error.open_refs)
    return sms("error_ambiguous", language, refs=refs, ref=error.open_refs[0] if error.open_refs else 12)


# --- to the caller -------------------------------------------------------------------------------


def caller_confirmation(promise: CallbackPromise, language: str = DEFAULT_LANGUAGE,
                        line_number: str | None = None) -> str:
    """The caller's one SMS: we got the request, and when to expect the call (from which
    number, so they pick up)."""
    from_line = _piece("from_line", language, line=phones.readable(line_number)) if line_number else ""
    return sms("confirmation", language, promise=promise_text(promise, language), from_line=from_line)


def caller_unreachable(weekly: WeeklySchedule, language: str = DEFAULT_LANGUAGE,
                       line_number: str | None = None) -> str:
    """The caller's last SMS after three failed call-backs: call us again, and when we are open."""
    to_line = _piece("to_line", language, line=phones.readable(line_number)) if line_number else ""
    hours_text = opening_hours(weekly, language)
    hours = _piece("hours", language, hours=hours_text) if hours_text else ""
    return sms("unreachable", language, to_line=to_line, hours=hours)


# --- the line's call-backs (CALL <ref>) -----------------------------------------------------------


def unreachable_closed(ref: int, attempts: int, caller_texted: bool, language: str) -> str:
    """To the staff member, after the last failed call-back: closed, and whether the caller got an SMS."""
    texted = _piece("caller_texted" if caller_texted else "caller_not_texted", language)
    return sms("unreachable_closed", language, ref=ref, count=attempts, sms=texted)
