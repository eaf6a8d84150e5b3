"""Every SMS the line sends, composed from plain facts in Finnish (default), Swedish or English.

Pure: no database, no Twilio. The job wiring gathers the facts (the callback, the listen link it
built, the line's time zone) and sends what these functions return. Every text goes through
:func:`helpline.sms.gsm7.gsm7_safe`, so a staff member's name with typographic quotes or an accent
outside GSM-7 does not turn a message into UCS-2 (and double its cost). The words themselves
live in :mod:`helpline.sms.catalogue`; the encoding rules in :mod:`helpline.sms.gsm7`, re-exported
here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Sequence
from zoneinfo import ZoneInfo

from helpline import phones
from helpline.callbacks.promise import CallbackPromise, PromiseKind
from helpline.sms.gsm7 import SmsSize, gsm7_safe, is_gsm7, measure, segments
from helpline.rota.rules import WeeklySchedule
from helpline.sms.catalogue import CLOCK_SEPARATOR, MONTHS_SHORT_EN, TEXTS, WEEKDAYS_ON, WEEKDAYS_SHORT
from helpline.sms.commands import ParseError, ParseProblem, TargetError, TargetProblem

__all__ = [
    "SUPPORTED_LANGUAGES", "DEFAULT_LANGUAGE", "CallbackFacts", "Refusal", "SmsSize", "acknowledged",
    "assignment", "call_time", "caller_confirmation", "caller_unreachable", "calling", "closed", "escalation",
    "gsm7_safe", "handed_over", "help_text", "is_gsm7", "measure", "opening_hours", "opt_out_alert", "parse_error",
    "passed", "pick_language", "promise_text", "refusal", "reminder", "segments", "target_error",
]

SUPPORTED_LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
_ECHO_MAX = 20


def pick_language(*preferences: str | None) -> str:
    """The first supported language among ``preferences`` (e.g. the command word's, then the
    staff member's first), else Finnish."""
    for code in preferences:
        if code in SUPPORTED_LANGUAGES:
            return code  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


def _text(key: str, language: str, **fields: object) -> str:
    return TEXTS[key][pick_language(language)].format(**fields)


def _final(text: str) -> str:
    return gsm7_safe(" ".join(text.split()))


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


# --- times -------------------------------------------------------------------------------------


def _clock(moment: datetime, language: str) -> str:
    return f"{moment.hour}{CLOCK_SEPARATOR[pick_language(language)]}{moment.minute:02d}"


def _date(moment: datetime, language: str) -> str:
    if pick_language(language) == "en":
        return f"{moment.day} {MONTHS_SHORT_EN[moment.month - 1]}"
    return f"{moment.day}.{moment.month}."


def call_time(moment: datetime, tz: ZoneInfo, language: str = DEFAULT_LANGUAGE) -> str:
    """When a call came, in the line's zone: 'ma 11.1. klo 10.05', 'mån 11.1. kl. 10.05',
    'Mon 11 Jan 10:05'."""
    local = moment.astimezone(tz)
    language = pick_language(language)
    return _text("call_time", language, day=WEEKDAYS_SHORT[language][local.weekday()], date=_date(local, language),
                 clock=_clock(local, language))


def promise_text(promise: CallbackPromise, language: str = DEFAULT_LANGUAGE) -> str:
    """'tänään ennen klo 15.00', 'huomenna klo 9.00 jälkeen', 'on Monday after 9:00', ..."""
    language = pick_language(language)
    if promise.kind is PromiseKind.ASAP or promise.opens_at is None:
        return _text("promise_asap", language)
    if promise.kind is PromiseKind.TODAY:
        if promise.closes_at is None:
            return _text("promise_asap", language)
        return _text("promise_today", language, closes=_clock(promise.closes_at, language))
    opens = _clock(promise.opens_at, language)
    if promise.kind is PromiseKind.TOMORROW:
        return _text("promise_tomorrow", language, opens=opens)
    if promise.kind is PromiseKind.WEEKDAY:
        return _text("promise_weekday", language, opens=opens,
                     weekday=WEEKDAYS_ON[language][promise.opens_at.weekday()])
    date = f"{WEEKDAYS_SHORT[language][promise.opens_at.weekday()]} {_date(promise.opens_at, language)}"
    return _text("promise_date", language, opens=opens, date=date)


def _span(opens: int, closes: int, language: str) -> str:
    separator = CLOCK_SEPARATOR[pick_language(language)]

    def clock(minute: int) -> str:
        return f"{minute // 60}" if minute % 60 == 0 else f"{minute // 60}{separator}{minute % 60:02d}"

    return f"{clock(opens)}-{clock(closes)}"


def opening_hours(weekly: WeeklySchedule, language: str = DEFAULT_LANGUAGE) -> str:
    """The weekly schedule in a few words: 'ma-pe 9-15, la 10-14', 'mån-fre 9-15'. Days with the
    same hours in a row are grouped; an empty schedule gives ''."""
    language = pick_language(language)
    names = WEEKDAYS_SHORT[language]
    groups: list[tuple[int, int, str]] = []  # first day, last day, hours
    for day in range(7):
        intervals = weekly.intervals_on(day)
        if not intervals:
            continue
        hours = TEXTS["and"][language].join(_span(i.opens_minute, i.closes_minute, language) for i in intervals)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == hours:
            groups[-1] = (groups[-1][0], day, hours)
        else:
            groups.append((day, day, hours))
    return ", ".join(f"{names[first]}{'-' + names[last] if last != first else ''} {hours}"
                     for first, last, hours in groups)


# --- to staff --------------------------------------------------------------------------------


def assignment(facts: CallbackFacts, tz: ZoneInfo, language: str = DEFAULT_LANGUAGE, *,
               previous: str | None = None) -> str:
    """The assignee's SMS: the caller's number readable and in E.164, when they called, the
    reference, the message link (or that there is none), and the reply commands. ``previous``
    names whoever had it before (a handover or a PASS)."""
    when = call_time(facts.called_at, tz, language)
    if facts.call_count > 1:
        when = _text("called_times", language, count=facts.call_count, when=when)
    if facts.has_message and facts.listen_url:
        message = _text("message_link", language, url=facts.listen_url)
    elif facts.has_message:
        message = _text("message_no_link", language)
    else:
        message = _text("no_message", language)
    before = _text("previous", language, name=previous) if previous else ""
    return _final(_text("assignment", language, previous=before, ref=facts.ref, number=phones.readable(facts.caller),
                        e164=facts.caller, when=when, message=message))


def reminder(items: Sequence[CallbackFacts], language: str = DEFAULT_LANGUAGE) -> str:
    """One reminder naming every callback in ``items`` (oldest first, as given)."""
    if not items:
        raise ValueError("a reminder needs at least one callback")
    if len(items) == 1:
        only = items[0]
        return _final(_text("reminder_one", language, ref=only.ref, number=phones.readable(only.caller)))
    listed = ", ".join(f"#{item.ref} ({phones.readable(item.caller)})" for item in items)
    return _final(_text("reminder_many", language, items=listed, ref=items[0].ref))


def handed_over(facts: CallbackFacts, new_assignee: str, language: str = DEFAULT_LANGUAGE) -> str:
    """To the previous assignee, whose shift ended: who has the callback now. (The new assignee
    gets :func:`assignment` with ``previous=``.)"""
    return _final(_text("handed_over", language, ref=facts.ref, number=phones.readable(facts.caller),
                        name=new_assignee))


def escalation(facts: CallbackFacts, tz: ZoneInfo, language: str = DEFAULT_LANGUAGE, *, assignee: str | None,
               reminders_sent: int, acknowledged: bool) -> str:
    """To each supervisor on duty: a callback still open after the reminders, and whose it is."""
    state = _text("acknowledged_state" if acknowledged else "unacknowledged_state", language)
    return _final(_text("escalation", language, ref=facts.ref, number=phones.readable(facts.caller),
                        when=call_time(facts.called_at, tz, language), count=reminders_sent,
                        name=assignee or _text("nobody", language), ack=state))


def opt_out_alert(staff_name: str, staff_phone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """To the supervisors: a staff member sent STOP, so the line can no longer text them."""
    return _final(_text("opt_out_alert", language, name=staff_name, number=phones.readable(staff_phone)))


# --- replies to commands -----------------------------------------------------------------------


def acknowledged(ref: int, language: str = DEFAULT_LANGUAGE) -> str:
    return _final(_text("acknowledged", language, ref=ref))


def closed(ref: int, language: str = DEFAULT_LANGUAGE) -> str:
    return _final(_text("closed", language, ref=ref))


def passed(ref: int, language: str = DEFAULT_LANGUAGE) -> str:
    return _final(_text("passed", language, ref=ref))


def calling(ref: int, language: str = DEFAULT_LANGUAGE) -> str:
    return _final(_text("calling", language, ref=ref))


def help_text(language: str = DEFAULT_LANGUAGE) -> str:
    return _final(_text("help", language))


def parse_error(error: ParseError, language: str | None = None) -> str:
    """What was wrong with a message and how to write it, in the command word's language when
    it had one, else ``language``, else Finnish."""
    language = pick_language(error.language, language)
    usage = _text("usage", language)
    if error.problem is ParseProblem.EMPTY:
        return _final(f"{_text('error_empty', language)} {usage}")
    if error.problem is ParseProblem.UNKNOWN_COMMAND:
        word = (error.word or "")[:_ECHO_MAX]  # a pasted essay is not echoed back whole
        return _final(f"{_text('error_unknown_command', language, word=word)} {usage}")
    if error.problem is ParseProblem.MISSING_COMMAND:
        digits = (error.word or "").lstrip("#")
        return _final(_text("error_missing_command", language, ref=digits if digits.isdigit() else 12))
    if error.problem is ParseProblem.BAD_REFERENCE:
        return _final(_text("error_bad_reference", language, word=error.word))
    return _final(_text("error_several_references", language, ref=error.ref or 12))


def target_error(error: TargetError, language: str = DEFAULT_LANGUAGE) -> str:
    """A command without a reference when the sender has no open callback, or several."""
    if error.problem is TargetProblem.NONE_OPEN:
        return _final(_text("error_none_open", language))
    refs = ", ".join(f"#{ref}" for ref in error.open_refs)
    return _final(_text("error_ambiguous", language, refs=refs, ref=error.open_refs[0] if error.open_refs else 12))


class Refusal(StrEnum):
    """Why the wiring refused a well-formed command."""

    NOT_FOUND = "not_found"
    ALREADY_CLOSED = "already_closed"
    NOT_YOURS = "not_yours"


def refusal(reason: Refusal, ref: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The reply to a command about a callback that does not exist, is closed, or is another's."""
    return _final(_text(f"error_{Refusal(reason).value}", language, ref=ref))


# --- to the caller -------------------------------------------------------------------------------


def caller_confirmation(promise: CallbackPromise, language: str = DEFAULT_LANGUAGE,
                        line_number: str | None = None) -> str:
    """The caller's one SMS: we got the request, and when to expect the call (from which
    number, so they pick up)."""
    from_line = _text("from_line", language, line=phones.readable(line_number)) if line_number else ""
    return _final(_text("confirmation", language, promise=promise_text(promise, language), from_line=from_line))


def caller_unreachable(weekly: WeeklySchedule, language: str = DEFAULT_LANGUAGE,
                       line_number: str | None = None) -> str:
    """The caller's last SMS after three failed call-backs: call us again, and when we are open."""
    to_line = _text("to_line", language, line=phones.readable(line_number)) if line_number else ""
    hours_text = opening_hours(weekly, language)
    hours = _text("hours", language, hours=hours_text) if hours_text else ""
    return _final(_text("unreachable", language, to_line=to_line, hours=hours))
