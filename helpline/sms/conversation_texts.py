"""Every SMS of conversations by text, in Finnish (the default), Swedish and English.

Pure, like helpline.sms.texts: plain facts in, the body out, made GSM-7 safe (ä ö å stay; a
phone's curly quotes become straight ones). To staff: the assignment of a conversation with the
caller's words, the words forwarded later, and the replies to REPLY when it cannot be done. To
the caller: the one automatic answer outside office hours. The templates are the catalogue's
(helpline.texts.conversation_table).

The caller's own words are quoted as they wrote them; when they do not fit in
FORWARD_MAX_SEGMENTS the SMS cuts them and says how many characters more are on the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

from helpline import phones
from helpline.callbacks.conversation_rules import FORWARD_MAX_SEGMENTS, REPLY_MAX_SEGMENTS, room_for_reply
from helpline.sms.gsm7 import gsm7_safe, segments
from helpline.texts import pick_language, render
from helpline.texts.times import CLOCK_SEPARATOR, WEEKDAYS_ON, call_time, short_date


ELLIPSIS = "..."


def _text(key: str, language: str, **fields: object) -> str:
    return render("sms", key, language, **fields)


def _final(text: str) -> str:
    return gsm7_safe(" ".join(text.split()))


@dataclass(frozen=True)
class Said:
    """One of the caller's texts: when, and the words as they came."""

    at: datetime
    text: str
    # Typed in the web chat by someone who gave this conversation's number: not proven theirs.
    unverified: bool = False


@dataclass(frozen=True)
class ConversationFacts:
    """What an SMS to staff tells of a conversation: its reference, the caller's number (E.164),
    the channel it began on, and the caller's texts to pass on (oldest first)."""

    ref: int
    caller: str
    channel: str
    said: tuple[Said, ...]


def _clock(moment: datetime, language: str) -> str:
    return f"{moment.hour}{CLOCK_SEPARATOR[pick_language(language)]}{moment.minute:02d}"


def _number(caller: str, language: str = "fi") -> str:
    if phones.is_chat_visitor(caller):
        return _text("chat_visitor", language)
    return phones.readable(caller) if caller.startswith("+") else caller


def _e164(caller: str) -> str:
    return "chat" if phones.is_chat_visitor(caller) else caller


def _quoted(said: Sequence[Said], tz: ZoneInfo, language: str, *, with_times: bool) -> str:
    """The caller's words, each in quotes; with several (or ``with_times``) each says when."""
    parts = []
    for item in said:
        # Double quotes mark where the caller's words begin and end, so theirs become single ones.
        words = " ".join(item.text.replace('"', "'").split()) or _text("empty_text", language)
        quoted = f'"{words}"'
        if item.unverified:
            quoted = f"{_text('unverified_chat', language)} {quoted}"
        if with_times or len(said) > 1:
            quoted = f"{_text('at_clock', language, clock=_clock(item.at.astimezone(tz), language))} {quoted}"
        parts.append(quoted)
    return " / ".join(parts)


def _fit(compose: Callable[[str], str], words: str, language: str, max_segments: int) -> str:
    """``compose(words)``, with the words cut (and the cut counted) so the SMS stays within
    ``max_segments``; the words keep at least their first character."""
    body = _final(compose(words))
    if segments(body) <= max_segments:
        return body

    def cut_at(length: int) -> str:
        kept = words[:length].rstrip()
        closing = '"' if kept.count('"') % 2 else ""  # cut inside a quotation: close it
        return _final(compose(f'{kept}{ELLIPSIS}{closing} {_text("cut", language, count=len(words) - length)}'))

    low, high = 1, len(words)  # the longest cut that fits, by bisection (segments grow with length)
    while low < high:
        middle = (low + high + 1) // 2
        if segments(cut_at(middle)) <= max_segments:
            low = middle
        else:
            high = middle - 1
    return cut_at(low)


def conversation_assignment(facts: ConversationFacts, tz: ZoneInfo, language: str, *, previous: str | None = None,
                            max_segments: int = FORWARD_MAX_SEGMENTS) -> str:
    """The assignee's SMS for a conversation: the reference, the caller's number (readable and
    E.164), when they wrote (one text: its day and time; several: each one's time), their words
    so far, and how to answer."""
    language = pick_language(language)
    when = f" {call_time(facts.said[0].at, tz, language)}" if len(facts.said) == 1 else ""
    channel = _text(f"channel_{facts.channel}" if facts.channel in ("sms", "chat", "voice") else "channel_sms", language)
    before = _text("previous", language, name=previous) if previous else ""
    words = _quoted(facts.said, tz, language, with_times=False) if facts.said else _text("empty_text", language)

    def compose(quoted: str) -> str:
        return _text("conversation_assignment", language, previous=before, channel=channel, ref=facts.ref,
                     number=_number(facts.caller, language), e164=_e164(facts.caller), when=when, words=quoted)

    return _fit(compose, words, language, max_segments)


def forwarded(facts: ConversationFacts, tz: ZoneInfo, language: str, *,
              max_segments: int = FORWARD_MAX_SEGMENTS) -> str:
    """The caller's newer texts to the assignee, bundled: each with its time, then how to answer."""
    if not facts.said:
        raise ValueError("nothing to forward")
    language = pick_language(language)
    words = _quoted(facts.said, tz, language, with_times=True)

    def compose(quoted: str) -> str:
        return _text("forwarded", language, ref=facts.ref, number=_number(facts.caller, language), words=quoted)

    return _fit(compose, words, language, max_segments)


def caller_stopped(ref: int, caller: str, language: str) -> str:
    """To the assignee: the caller sent STOP, so no reply can reach them by SMS any more."""
    return _final(_text("caller_stopped", language, ref=ref, number=_number(caller)))


# --- when REPLY cannot be sent -----------------------------------------------------------------------

def reply_empty(ref: int, language: str) -> str:
    return _final(_text("reply_empty", language, ref=ref))


def reply_too_long(ref: int, parts: int, language: str) -> str:
    return _final(_text("reply_too_long", language, ref=ref, count=parts, max=REPLY_MAX_SEGMENTS,
                        room=room_for_reply("GSM-7"), room_ucs2=room_for_reply("UCS-2")))


def reply_opted_out(ref: int, language: str) -> str:
    return _final(_text("reply_opted_out", language, ref=ref))


def reply_no_sms(ref: int, language: str) -> str:
    return _final(_text("reply_no_sms", language, ref=ref))


def reply_chat_ended(ref: int, language: str) -> str:
    return _final(_text("reply_chat_ended", language, ref=ref))


def help_reply(language: str) -> str:
    """What HELP adds about REPLY."""
    return _final(_text("help_reply", language))


# --- to the caller ---------------------------------------------------------------------------------------

def opening_words(opens_at: datetime, now: datetime, tz: ZoneInfo, language: str) -> str:
    """'huomenna klo 9.00', 'på måndag kl. 9.00', 'on Mon 25 Jan at 9:00': when the line opens,
    as seen from ``now``."""
    language = pick_language(language)
    opens, today = opens_at.astimezone(tz), now.astimezone(tz).date()
    clock = _clock(opens, language)
    days = (opens.date() - today).days
    if days <= 0:
        return _text("opens_today", language, clock=clock)
    if days == 1:
        return _text("opens_tomorrow", language, clock=clock)
    if days < 7:
        return _text("opens_weekday", language, clock=clock, weekday=WEEKDAYS_ON[language][opens.weekday()])
    return _text("opens_date", language, clock=clock, date=short_date(opens, language))


def closed_answer(opens_at: datetime | None, now: datetime, tz: ZoneInfo, language: str) -> str:
    """The caller's one automatic answer while the line is closed: closed now, when it opens,
    and "in an emergency call 112"."""
    if opens_at is None:
        return _final(_text("closed_answer_no_hours", language))
    return _final(_text("closed_answer", language, opens=opening_words(opens_at, now, tz, language)))


__all__ = [
    "ConversationFacts", "Said", "caller_stopped", "closed_answer", "conversation_assignment", "forwarded",
    "help_reply", "opening_words", "reply_chat_ended", "reply_empty", "reply_no_sms", "reply_opted_out", "reply_too_long",
]
