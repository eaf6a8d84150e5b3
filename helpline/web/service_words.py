"""The directory in the reader's language: whether a service is open, its week, language names,
and the problems of a service's fields or of a directory CSV (helpline.directory gives facts and
codes; here they become sentences through Flask-Babel)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel import Locale
from babel.dates import get_day_names
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from helpline.directory.csv_import import RowProblem
from helpline.directory.fields import FieldProblem
from helpline.directory.hours import format_hours
from helpline.directory.rules import ServiceStatus
from helpline.rota.rules import MINUTES_PER_DAY, WeeklySchedule
from helpline.services import current_services

TIME = "HH:mm"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(current_services().settings.timezone)


def _day_and_time(moment: datetime, now: datetime) -> tuple[str, str]:
    """('today' | 'tomorrow' | 'on Monday 18.1.', '09:00') for a coming moment."""
    local, today = _local(moment), _local(now).date()
    time = format_time(moment, TIME)
    if local.date() == today:
        return "today", time
    if local.date() == today + timedelta(days=1):
        return "tomorrow", time
    return format_date(local.date(), "EEEE d.M."), time


@dataclass(frozen=True)
class StatusWords:
    css: str  # open, closed or unknown
    text: str


def status_words(status: ServiceStatus, now: datetime) -> StatusWords:
    """'Open now, until 15:00' / 'Closed now. Opens tomorrow at 09:00' / 'Opening hours not given'."""
    if not status.known:
        return StatusWords("unknown", _("Opening hours not given: call and ask."))
    if status.open:
        if status.closes_at is None:
            return StatusWords("open", _("Open now, round the clock."))
        day, time = _day_and_time(status.closes_at, now)
        if day == "today":
            return StatusWords("open", _("Open now, until %(time)s.", time=time))
        return StatusWords("open", _("Open now, until %(day)s %(time)s.", day=_words_for(day), time=time))
    prefix = _("Closed today for a public holiday.") if status.holiday else _("Closed now.")
    if status.next_open_at is None:
        return StatusWords("closed", prefix)
    day, time = _day_and_time(status.next_open_at, now)
    if day == "today":
        return StatusWords("closed", prefix + " " + _("Opens today at %(time)s.", time=time))
    if day == "tomorrow":
        return StatusWords("closed", prefix + " " + _("Opens tomorrow at %(time)s.", time=time))
    return StatusWords("closed", prefix + " " + _("Opens %(day)s at %(time)s.", day=day, time=time))


def _words_for(day: str) -> str:
    return {"tomorrow": _("tomorrow")}.get(day, day)


def week_rows(weekly: WeeklySchedule | None) -> list[tuple[str, str]]:
    """(weekday name, its hours) for Monday to Sunday in the reader's language."""
    names = get_day_names("wide", context="stand-alone", locale=get_locale())
    rows = []
    for day in range(7):
        intervals = weekly.intervals_on(day) if weekly else ()
        if not intervals:
            rows.append((names[day], _("closed")))
            continue
        spans = [_span(interval.opens_minute, interval.closes_minute) for interval in intervals]
        rows.append((names[day], ", ".join(spans)))
    return rows


def _span(opens: int, closes: int) -> str:
    if (opens, closes) == (0, MINUTES_PER_DAY):
        return _("round the clock")

    def clock(minute: int) -> str:
        return "24:00" if minute == MINUTES_PER_DAY else f"{minute // 60:02d}:{minute % 60:02d}"

    return f"{clock(opens)}–{clock(closes)}"


def hours_in_words(weekly: WeeklySchedule | None) -> str:
    return format_hours(weekly, str(get_locale().language))


def language_name(code: str) -> str:
    """'sv' -> 'ruotsi' (in Finnish), 'svenska' (in Swedish), 'Swedish' (in English)."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


# --- problems --------------------------------------------------------------------------------------

FIELD_PROBLEMS = {
    "required": _l("This is needed."),
    "too_long": _l("At most %(limit)s characters."),
    "too_many": _l("At most %(limit)s topics."),
    "code": _l("One short word staff can text: 2–20 letters, digits or hyphens, like KRIISI."),
    "phone": _l("“%(value)s” is not a phone number we can call. Write it like 09 123 4567 or +358 9 123 4567."),
    "url": _l("“%(value)s” is not a web address like https://example.fi."),
    "language": _l("“%(value)s” is not a two-letter language code like fi, sv or en."),
    "boolean": _l("“%(value)s” is not yes or no."),
    "type": _l("This cannot be read."),
    "control": _l("Line breaks, tabs and other control characters are not allowed here."),
}
HOURS_PROBLEMS = {
    "day": _l("“%(value)s” is not a day or a range of days like ma-pe or Mon-Fri."),
    "time": _l("“%(value)s” is not a time like 9, 9.30 or 09:30."),
    "order": _l("%(span)s must close after it opens; a night is two days, the first ending at 24."),
    "overlap": _l("The hours of one day overlap around %(at)s."),
    "no_hours": _l("No hours follow %(value)s; write them like ma-pe 9-15."),
    "json": _l("These hours cannot be read."),
}
COLUMN_NAMES = {
    "code": _l("code"), "name": _l("name"), "name_sv": _l("name in Swedish"), "name_en": _l("name in English"),
    "description": _l("description"), "description_sv": _l("description in Swedish"),
    "description_en": _l("description in English"), "topics": _l("topics"), "languages": _l("languages"),
    "phone": _l("phone"), "url": _l("web address"), "address": _l("address"), "area": _l("area"),
    "hours": _l("opening hours"), "open_on_holidays": _l("open on public holidays"), "active": _l("in use"),
}


def field_problem(code: str, params: dict) -> str:
    if code == "hours":
        reason = params.get("reason", "json")
        return str(HOURS_PROBLEMS.get(reason, HOURS_PROBLEMS["json"])) % params
    return str(FIELD_PROBLEMS.get(code, FIELD_PROBLEMS["type"])) % params


def problem_of(error: FieldProblem) -> str:
    return field_problem(error.code, error.params)


IMPORT_PROBLEMS = {
    "empty": _l("The file has no rows. The first line names the columns, for example code,name,phone,hours."),
    "too_big": _l("The file is larger than %(limit)s KiB; split it into several."),
    "too_many_rows": _l("The file has more than %(limit)s rows; split it into several."),
    "columns": _l("The first line must name the columns code and name; missing: %(missing)s."),
    "unknown_column": _l("Unknown column “%(column)s”; the columns are %(known)s."),
    "cells": _l("Expected %(expected)s cells as in the header, found %(found)s."),
    "duplicate_code": _l("The code %(code)s is also on line %(other_line)s."),
}


def import_problem(item: RowProblem) -> str:
    if item.code == "field":
        params = dict(item.params)
        column = str(COLUMN_NAMES.get(params["column"], params["column"]))
        return f"{column}: {field_problem(params['problem'], params)}"
    return str(IMPORT_PROBLEMS[item.code]) % item.params
