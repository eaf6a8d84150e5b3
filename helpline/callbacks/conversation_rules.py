"""Pure rules of conversations by text: when the caller's words go to the assignee, when the
line answers by itself, and what a reply may be.

Plain data and an aware ``now`` in, decisions out; no clock, no database, no Twilio. The wiring
(helpline.inbound.conversation, helpline.callbacks.replies, helpline.queue.jobs) applies them.

The rules, in words:

- The caller's texts go to the assignee in bundles: a text waits FORWARD_BUNDLE for others to
  join it, so several written within a minute arrive as one SMS. One conversation forwards at
  most FORWARD_CAP SMS per FORWARD_CAP_WINDOW; more waits until the window has room, and then
  goes as one bundle. Nothing is forwarded while the line is closed: the assignee's duty is over,
  and at the opening the conversation is handed over (the new holder's assignment SMS carries
  the words).
- Outside office hours the caller gets one automatic answer per closed period (the period is
  named by the opening that ends it), however many texts they send: an auto-responder at the
  other end meets one answer and then silence.
- A reply is sent as written, with typographic characters made GSM-7 (a phone's curly
  apostrophe would make it UCS-2 and halve its room); at most REPLY_MAX_SEGMENTS segments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Iterable

from helpline.rota.rules import LineCalendar, NaiveTimeError, line_status, next_opening
from helpline.sms.gsm7 import SmsSize, gsm7_safe, measure

FORWARD_BUNDLE = timedelta(minutes=1)
FORWARD_CAP = 10
FORWARD_CAP_WINDOW = timedelta(hours=1)
# How long one forwarded SMS (or an assignment carrying the words) may be; longer words are cut
# and the SMS says how many more characters are on the callback's page.
FORWARD_MAX_SEGMENTS = 4
REPLY_MAX_SEGMENTS = 3
# The longest text the line keeps of one caller message (Twilio joins at most 10 segments: 1600).
CALLER_TEXT_MAX = 1600


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimeError(f"{what} must be time-zone aware, got {moment!r}")
    return moment.astimezone(timezone.utc)


# --- forwarding the caller's words ---------------------------------------------------------------

def forward_due_at(first_unforwarded_at: datetime, recent_forwards: Iterable[datetime],
                   calendar: LineCalendar) -> datetime:
    """When the caller's texts waiting since ``first_unforwarded_at`` go to the assignee.

    FORWARD_BUNDLE after the first of them, later when the conversation has had FORWARD_CAP
    forwards within FORWARD_CAP_WINDOW before that, and never while the line is closed (then at
    the next opening). ``recent_forwards``: when this conversation's earlier forwards went.
    """
    due = _aware(first_unforwarded_at, "first_unforwarded_at") + FORWARD_BUNDLE
    sent = sorted(_aware(moment, "a forward") for moment in recent_forwards)
    window = [moment for moment in sent if moment > due - FORWARD_CAP_WINDOW]
    if len(window) >= FORWARD_CAP:
        # The cap-th newest one has to leave the window first.
        due = max(due, window[len(window) - FORWARD_CAP] + FORWARD_CAP_WINDOW)
    if line_status(due, calendar).open:
        return due.astimezone(calendar.timezone)
    opening = next_opening(due, calendar)
    return (opening or due).astimezone(calendar.timezone)


# --- the automatic answer outside office hours -----------------------------------------------------

@dataclass(frozen=True)
class ClosedPeriod:
    """The closed stretch ``now`` falls in: named by the opening that ends it (None: no opening
    is scheduled at all, so the local day names it)."""

    key: str
    opens_at: datetime | None


def closed_period(now: datetime, calendar: LineCalendar) -> ClosedPeriod | None:
    """None while the line is open, or when it has no office hours at all (a line not set up has
    no closed hours to announce); otherwise the closed period, for one automatic answer in it."""
    _aware(now, "now")
    if calendar.weekly.is_empty:
        return None
    status = line_status(now, calendar)
    if status.open:
        return None
    opens = status.next_open_at or next_opening(now, calendar)
    if opens is None:
        return ClosedPeriod(f"day-{now.astimezone(calendar.timezone).date().isoformat()}", None)
    return ClosedPeriod(f"until-{_aware(opens, 'opens').strftime('%Y%m%dT%H%M%SZ')}",
                        opens.astimezone(calendar.timezone))


# --- replies ----------------------------------------------------------------------------------------

class ReplyProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class CheckedReply:
    """A reply as the caller will get it (``body``), its size, and what is wrong with it if anything."""

    body: str
    size: SmsSize
    problem: ReplyProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_reply(text: str | None, max_segments: int = REPLY_MAX_SEGMENTS) -> CheckedReply:
    """The body the caller would get for ``text``, and whether it may go: not empty, and at most
    ``max_segments`` segments counted the way it is sent (GSM-7 160/153, UCS-2 70/67 units)."""
    body = gsm7_safe((text or "").strip())
    size = measure(body)
    if not body.strip():
        return CheckedReply(body, size, ReplyProblem.EMPTY)
    if size.segments > max_segments:
        return CheckedReply(body, size, ReplyProblem.TOO_LONG)
    return CheckedReply(body, size)


def room_for_reply(encoding: str, max_segments: int = REPLY_MAX_SEGMENTS) -> int:
    """How many characters ``max_segments`` hold (GSM-7 basic characters, or UCS-2 units)."""
    if max_segments <= 1:
        return 160 if encoding == "GSM-7" else 70
    return max_segments * (153 if encoding == "GSM-7" else 67)


# --- the caller's language ----------------------------------------------------------------------------

# A handful of everyday words that only one of the line's languages uses. A text is read as
# Swedish or English only when it has more of that language's words than of any other's, so
# a Finnish text (or one too short to tell) keeps the line's default.
_LANGUAGE_WORDS = {
    "fi": frozenset({"hei", "moi", "moikka", "minä", "mä", "olen", "oon", "ja", "ei", "kiitos", "apua", "tarvitsen",
                     "haluaisin", "voisiko", "voiko", "että", "kun", "mutta", "minulla", "mulla", "sinä", "onko"}),
    "sv": frozenset({"hej", "jag", "och", "inte", "är", "det", "du", "med", "för", "tack", "hjälp", "kan", "vill",
                     "mig", "behöver", "någon", "prata", "har", "om"}),
    "en": frozenset({"hi", "hello", "i", "the", "and", "is", "you", "my", "me", "not", "help", "please", "need",
                     "thanks", "to", "someone", "talk", "am", "have", "with"}),
}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """"sv" or "en" (or "fi") when the words say so clearly, else None (the line's default)."""
    words = [word.casefold() for word in _WORD.findall(text or "")]
    hits = {language: sum(word in vocabulary for word in words) for language, vocabulary in _LANGUAGE_WORDS.items()}
    best = max(hits.values())
    winners = [language for language, count in hits.items() if count == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


# --- the web chat -----------------------------------------------------------------------------------

# A chat message: at most this many characters, and at most so many a minute from one
# conversation and from one address (a person types a few; a script is stopped at once).
CHAT_TEXT_MAX = 1000
CHAT_PER_CONVERSATION_PER_MINUTE = 8
CHAT_PER_ADDRESS_PER_MINUTE = 20
# Everything below a space but the line breaks and the tab, and the Unicode non-characters that
# break a page or a database: gone from a visitor's words before they are stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class ChatTextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def check_chat_text(text: object) -> tuple[str, ChatTextProblem | None]:
    """A visitor's message as it is kept (trimmed, control characters and lone surrogates
    dropped, line breaks as \\n), and what is wrong with it if anything."""
    if not isinstance(text, str):
        return "", ChatTextProblem.EMPTY
    words = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not words:
        return "", ChatTextProblem.EMPTY
    if len(words) > CHAT_TEXT_MAX:
        return words, ChatTextProblem.TOO_LONG
    return words, None
