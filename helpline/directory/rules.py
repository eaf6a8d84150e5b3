"""The map's rules (pure): whether a service is open, what a search finds, which service a code
means, and who may wrap up a live call until when.

Nothing here reads the clock, the database or Flask: give it plain facts and an aware ``now``.

- **Open or not** is the line's own rule (helpline.rota.rules.line_status) applied to the
  service's week: its weekly hours in the line's time zone, minus public holidays
  (HOLIDAY_CALENDAR) unless the service is open on them. A service without hours is neither
  open nor closed: the map says to call and ask.
- **A search** matches every word typed somewhere in the service's names, descriptions, topics,
  area or code, case and accents aside (``kriisi`` finds ``Kriisipuhelin``, ``angest`` finds
  ``ångest``).
- **A code** (``DONE 12 REF KRIISI``, ``WRAP referred KRIISI``) is a service's code, or a unique
  start of one of its names; only services in use (active) are meant.
- **A wrap-up** of an answered live call may be written by whoever answered it or a supervisor,
  for WRAP_UP_WINDOW after the call.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from helpline.directory.hours import is_known
from helpline.rota.rules import LineCalendar, WeeklySchedule, line_status

CODE_PATTERN = re.compile(r"[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{1,19}")
WRAP_UP_WINDOW = timedelta(hours=24)
WRAP_UP_OUTCOMES = ("resolved", "referred")


def fold(text: str | None) -> str:
    """Lower case without accents or extra spaces: what searching and codes compare."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


# --- what the rules know of a service ------------------------------------------------------------

@dataclass(frozen=True)
class ServiceFacts:
    id: int
    code: str
    names: tuple[str, ...]  # Finnish first, then Swedish and English where given
    descriptions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    area: str | None = None
    weekly: WeeklySchedule | None = None
    open_on_holidays: bool = False
    active: bool = True

    @property
    def name(self) -> str:
        return self.names[0]


# --- open now, or when next --------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceStatus:
    known: bool  # False: no hours given, so the map cannot say
    open: bool = False
    closes_at: datetime | None = None  # while open: when it next closes
    next_open_at: datetime | None = None  # while closed: when it next opens (None: not within a year)
    holiday: bool = False  # closed today because of a public holiday


def service_status(facts: ServiceFacts, now: datetime, tz: ZoneInfo, holiday_calendar: str) -> ServiceStatus:
    if not is_known(facts.weekly):
        return ServiceStatus(known=False)
    assert facts.weekly is not None
    calendar = LineCalendar(timezone=tz, weekly=facts.weekly,
                            holiday_calendar="" if facts.open_on_holidays else holiday_calendar)
    status = line_status(now, calendar)
    return ServiceStatus(known=True, open=status.open, closes_at=status.closes_at, next_open_at=status.next_open_at,
                         holiday=status.reason.startswith("public holiday"))


# --- searching -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Search:
    words: str = ""
    topic: str = ""
    language: str = ""
    area: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.words.strip() or self.topic or self.language or self.area)


def _haystack(facts: ServiceFacts) -> str:
    return fold(" ".join((*facts.names, *facts.descriptions, *facts.topics, facts.area or "", facts.code)))


def matches(facts: ServiceFacts, search: Search) -> bool:
    if search.topic and fold(search.topic) not in {fold(topic) for topic in facts.topics}:
        return False
    if search.language and search.language not in facts.languages:
        return False
    if search.area and fold(search.area) != fold(facts.area):
        return False
    haystack = _haystack(facts)
    return all(word in haystack for word in fold(search.words).split())


def find(services: Iterable[ServiceFacts], search: Search) -> list[ServiceFacts]:
    """The active services that match, by name (the order the map shows them in)."""
    return sorted((facts for facts in services if facts.active and matches(facts, search)),
                  key=lambda facts: (fold(facts.name), facts.id))


def choices(services: Iterable[ServiceFacts]) -> tuple[list[str], list[str], list[str]]:
    """The topics, languages and areas the active services have, each once, sorted."""
    topics: dict[str, str] = {}
    languages: set[str] = set()
    areas: dict[str, str] = {}
    for facts in services:
        if not facts.active:
            continue
        for topic in facts.topics:
            topics.setdefault(fold(topic), topic)
        languages.update(facts.languages)
        if facts.area:
            areas.setdefault(fold(facts.area), facts.area)
    return (sorted(topics.values(), key=fold), sorted(languages), sorted(areas.values(), key=fold))


def clean_topics(values: Iterable[str]) -> list[str]:
    """Topics as typed, spaces tidied, each once (case aside), empty ones dropped."""
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text:
            seen.setdefault(fold(text), text)
    return list(seen.values())


# --- codes ---------------------------------------------------------------------------------------

def normalise_code(text: str) -> str | None:
    """'kriisi' -> 'KRIISI'; None unless 2-20 letters, digits or '-' starting with a letter or digit."""
    code = unicodedata.normalize("NFC", (text or "").strip()).upper()
    return code if CODE_PATTERN.fullmatch(code) else None


class Unresolved(StrEnum):
    EMPTY = "empty"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Resolved:
    service: ServiceFacts
    rest: str  # what followed the code or name (a note, a topic)


@dataclass(frozen=True)
class NotResolved:
    problem: Unresolved
    written: str = ""
    candidates: tuple[ServiceFacts, ...] = ()  # AMBIGUOUS: the services it could mean


def resolve(text: str | None, services: Sequence[ServiceFacts]) -> Resolved | NotResolved:
    """Which active service ``text`` starts with: its code (``KRIISI``), or else the longest run of
    its first words that begins exactly one service's name (``kirkon perhe`` for *Kirkon
    perheneuvonta*). Case and accents do not matter."""
    words = (text or "").split()
    if not words:
        return NotResolved(Unresolved.EMPTY)
    active = [facts for facts in services if facts.active]
    first = fold(words[0])
    for facts in active:
        if fold(facts.code) == first:
            return Resolved(facts, " ".join(words[1:]))
    for count in range(len(words), 0, -1):
        start = fold(" ".join(words[:count]))
        found = [facts for facts in active if any(fold(name).startswith(start) for name in facts.names)]
        if len(found) == 1:
            return Resolved(found[0], " ".join(words[count:]))
        if found:
            return NotResolved(Unresolved.AMBIGUOUS, " ".join(words[:count]),
                               tuple(sorted(found, key=lambda facts: fold(facts.code))))
    return NotResolved(Unresolved.UNKNOWN, words[0])


# --- wrap-ups ------------------------------------------------------------------------------------

class WrapUpRefusal(StrEnum):
    NOT_ANSWERED = "not_answered"  # nobody answered the call live: nothing to wrap up
    NOT_YOURS = "not_yours"  # someone else answered it, and the actor is not a supervisor
    TOO_LATE = "too_late"  # the window closed


def wrap_up_deadline(answered_at: datetime | None, ended_at: datetime | None) -> datetime | None:
    """Until when a call may be wrapped up: WRAP_UP_WINDOW after it ended (or was answered, when
    its end is not known yet); None for a call nobody answered."""
    if answered_at is None:
        return None
    return (ended_at or answered_at) + WRAP_UP_WINDOW


def wrap_up_refusal(*, answered_by_id: int | None, answered_at: datetime | None, ended_at: datetime | None,
                    actor_staff_id: int | None, actor_is_supervisor: bool, now: datetime) -> WrapUpRefusal | None:
    """Why the actor may not wrap up this call now, or None when they may."""
    deadline = wrap_up_deadline(answered_at, ended_at)
    if deadline is None:
        return WrapUpRefusal.NOT_ANSWERED
    if not actor_is_supervisor and (actor_staff_id is None or actor_staff_id != answered_by_id):
        return WrapUpRefusal.NOT_YOURS
    if now >= deadline:
        return WrapUpRefusal.TOO_LATE
    return None
