"""A service's weekly hours (pure): the office-hours JSON of the API, and words people write.

The JSON is the API's office-hours format, ``{"monday": [["09:00", "15:00"]], ...}``; a day left
out is closed. The words are what a supervisor types on the page or in a CSV cell, and what an
SMS says: ``ma-pe 9-15, la 10-14``, ``mån-fre 9-12 och 13-16``, ``Mon-Fri 9:30-17``, ``24/7``.

- Days are Finnish, Swedish or English, short or long (``ma``, ``mån``, ``Mon``, ``maanantai``),
  alone or as a range (``ma-pe``; ``la-ma`` wraps over the weekend); a list of days may share the
  hours that follow (``ma, ke 9-12``).
- Times are ``9``, ``09``, ``9.30``, ``9:30`` or ``09:30``; ``24`` may end a day. Several spans of
  one day are joined by ``ja``, ``och``, ``and``, ``&``, ``+`` or a comma.
- ``24/7`` (or ``aina``, ``dygnet runt``, ``always``) is every day round the clock.

:func:`format_hours` writes them back in the same words, so the page's field shows what it reads.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from helpline.rota.localtime import TimeParseError, parse_clock_time
from helpline.rota.rules import MINUTES_PER_DAY, WEEKDAYS, OpeningInterval, WeeklySchedule, format_minute
from helpline.texts.times import WEEKDAYS_ON, opening_hours

# Each weekday's names in Finnish, Swedish and English (the catalogue's, helpline.texts.times; the
# Finnish without the essive ending: maanantaina -> maanantai); any start of two letters or more
# names it.
DAY_NAMES: tuple[tuple[str, ...], ...] = tuple(
    (fi.removesuffix("na"), sv.lower(), en.lower())
    for fi, sv, en in zip(WEEKDAYS_ON["fi"], WEEKDAYS_ON["sv"], WEEKDAYS_ON["en"]))
ALWAYS = ("24/7", "24 h", "24h", "aina", "aina auki", "ympäri vuorokauden", "dygnet runt", "alltid", "always")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")
_SPAN = re.compile(r"(\d{1,2}(?:[:.]\d{2})?)\s*[-\u2013\u2014]\s*(\d{1,2}(?:[:.]\d{2})?)")
_JOINERS = re.compile(r"\s+(?:ja|och|and)\s+|\s*[&+]\s*", re.IGNORECASE)


class HoursError(ValueError):
    """Hours that cannot be read: ``code`` says which kind (for the pages' translations), ``params``
    the facts; the message says it in English."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


# --- JSON: the API's office-hours format ---------------------------------------------------------

def week_json(weekly: WeeklySchedule | None) -> dict[str, list[list[str]]] | None:
    """All seven days, each a list of ``["HH:MM", "HH:MM"]``; None when the hours are not known."""
    if weekly is None:
        return None
    return {day: [[format_minute(i.opens_minute), format_minute(i.closes_minute)] for i in weekly.intervals_on(n)]
            for n, day in enumerate(WEEKDAYS)}


def schedule_from_json(value: Any) -> WeeklySchedule | None:
    """The office-hours JSON (a day left out is closed) as a schedule; None for null. HoursError
    names the day and what is wrong."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise HoursError("json", 'hours must be an object like {"monday": [["09:00", "15:00"]]}, or null')
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise HoursError("json", f"hours: unknown day {unknown[0]!r}; the days are {', '.join(WEEKDAYS)}")
    days: dict[int, list[tuple[int, int]]] = {}
    for number, day in enumerate(WEEKDAYS):
        intervals = value.get(day, [])  # a day left out is closed; one given must be a list (not {} or null)
        if not isinstance(intervals, list):
            raise HoursError("json", f'hours: {day} must be a list of intervals like [["09:00", "15:00"]]')
        for item in intervals:
            if not (isinstance(item, list) and len(item) == 2):
                raise HoursError("json", f'hours: {day}: {item!r} is not an interval like ["09:00", "15:00"]')
            try:
                opens = parse_clock_time(item[0])
                closes = parse_clock_time(item[1], end_of_day_allowed=True)
            except TimeParseError as error:
                raise HoursError("json", f"hours: {day}: {error}") from None
            days.setdefault(number, []).append((opens, closes))
    return _schedule(days)


def _schedule(days: Mapping[int, list[tuple[int, int]]]) -> WeeklySchedule:
    checked: dict[int, tuple[OpeningInterval, ...]] = {}
    for number, spans in days.items():
        spans = sorted(set(spans))
        for opens, closes in spans:
            if closes <= opens:
                raise HoursError("order", f"{WEEKDAYS[number]}: {format_minute(opens)}-{format_minute(closes)} must "
                                          "close after it opens (a night is two days, the first ending at 24)",
                                 day=number, span=f"{format_minute(opens)}-{format_minute(closes)}")
        for (_, first_closes), (second_opens, _) in zip(spans, spans[1:]):
            if second_opens < first_closes:
                raise HoursError("overlap", f"{WEEKDAYS[number]}: hours overlap around {format_minute(second_opens)}",
                                 day=number, at=format_minute(second_opens))
        if spans:
            checked[number] = tuple(OpeningInterval(opens, closes) for opens, closes in spans)
    return WeeklySchedule(checked)


def is_known(weekly: WeeklySchedule | None) -> bool:
    return weekly is not None and not weekly.is_empty


# --- words -----------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case; å, ä and ö kept (they tell måndag from mandag), other accents dropped."""
    out = []
    for character in unicodedata.normalize("NFC", text.casefold()):
        if character in "åäö":
            out.append(character)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)))
    return "".join(out)


def day_number(word: str) -> int | None:
    """The weekday (0 Monday) a word names, or None: 'ma', 'Mån.', 'torstai', 'Thu'."""
    token = _fold(word).rstrip(".:")
    if len(token) < 2:
        return None
    found = {number for number, names in enumerate(DAY_NAMES) if any(name.startswith(token) for name in names)}
    return found.pop() if len(found) == 1 else None


def _minute(text: str, *, closing: bool) -> int:
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise HoursError("time", f"{text!r} is not a time like 9, 9.30 or 09:30", value=text)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if closing and (hours, minutes) == (24, 0):
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        raise HoursError("time", f"{text!r} is not a time of day", value=text)
    return hours * 60 + minutes


@dataclass
class _Reading:
    days: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    pending: list[int] = field(default_factory=list)  # days named, waiting for their hours
    last: list[int] = field(default_factory=list)  # the days the latest hours went to


def _days_of(spec: str) -> list[int]:
    """'ma-pe' -> [0..4]; 'la-ma' -> [5, 6, 0]; 'ke' -> [2]."""
    parts = [part.strip() for part in re.split(r"\s*[-\u2013\u2014]\s*", spec)]
    numbers = [day_number(part) for part in parts]
    if len(parts) > 2 or any(number is None for number in numbers):
        raise HoursError("day", f"{spec!r} is not a day or a range of days like ma-pe or Mon-Fri", value=spec)
    first, last = numbers[0], numbers[-1]
    assert first is not None and last is not None
    return [(first + step) % 7 for step in range((last - first) % 7 + 1)]


def parse_hours(text: str | None) -> WeeklySchedule | None:
    """The words of a week's hours as a schedule; None when the text is empty. HoursError says
    what could not be read."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None
    if _fold(cleaned).rstrip(".") in ALWAYS:
        return WeeklySchedule({day: (OpeningInterval(0, MINUTES_PER_DAY),) for day in range(7)})
    reading = _Reading()
    for chunk in re.split(r"\s*[,;\n]\s*", _JOINERS.sub(", ", cleaned)):
        if chunk:
            _read_chunk(chunk, reading)
    if reading.pending:
        names = ", ".join(DAY_NAMES[day][0][:2] for day in reading.pending)
        raise HoursError("no_hours", f"no hours follow {names}; write them like ma-pe 9-15", value=names)
    return _schedule(reading.days)


def _read_chunk(chunk: str, reading: _Reading) -> None:
    span = _SPAN.search(chunk)
    spec = (chunk[:span.start()] if span else chunk).strip()
    if spec:
        reading.pending.extend(_days_of(spec))
    if span is None:
        return
    if chunk[span.end():].strip():
        raise HoursError("time", f"{chunk[span.end():].strip()!r} is not a time like 9, 9.30 or 09:30",
                         value=chunk[span.end():].strip())
    opens, closes = _minute(span.group(1), closing=False), _minute(span.group(2), closing=True)
    days = reading.pending or reading.last
    if not days:
        raise HoursError("day", f"{chunk!r}: name the days first, like ma-pe 9-15", value=chunk)
    for day in days:
        reading.days.setdefault(day, []).append((opens, closes))
    reading.last, reading.pending = list(days), []


def format_hours(weekly: WeeklySchedule | None, language: str = "fi") -> str:
    """The week in words ('ma-pe 9-15, la 10-14'), '24/7' round the clock, '' when not known."""
    if not is_known(weekly):
        return ""
    assert weekly is not None
    if all(weekly.intervals_on(day) == (OpeningInterval(0, MINUTES_PER_DAY),) for day in range(7)):
        return "24/7"
    return opening_hours(weekly, language)
