"""Times in words, written (SMS) and spoken (voice), with the weekday and month names defined once.

Written: 'ma 11.1. klo 10.05', 'mån 11.1. kl. 10.05', 'Mon 11 Jan 10:05'; opening hours 'ma-pe 9-15'.
Spoken: "maanantaina kello 9", "på måndag klockan 9", "on Monday at 9 a.m.". The sentences around
the words are templates of the catalogue; what differs in shape between the languages (English's
12-hour clock, its short month names) is here.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from helpline.rota.rules import WeeklySchedule
from helpline.texts.catalogue import pick_language, render

# Short weekday names (a call's time, opening hours) and the ones for "on Monday" (Finnish essive).
WEEKDAYS_SHORT = {"fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
                  "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
                  "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
WEEKDAYS_ON = {"fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina", "lauantaina",
                      "sunnuntaina"),
               "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
               "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
# Month names after a day ("25. tammikuuta", "den 1 februari", "20 January"); written English
# shortens them to three letters ("11 Jan"), Finnish and Swedish write the month as a number.
MONTHS = {"fi": ("tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
                 "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"),
          "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                 "oktober", "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")}
# The clock's separator: Finnish and Swedish in Finland write 10.05, English 10:05.
CLOCK_SEPARATOR = {"fi": ".", "sv": ".", "en": ":"}


def _hour_and_minute(hour: int, minute: int, language: str, *, whole_hour_alone: bool) -> str:
    if minute == 0 and whole_hour_alone:
        return f"{hour}"
    return f"{hour}{CLOCK_SEPARATOR[language]}{minute:02d}"


# --- written -------------------------------------------------------------------------------------


def clock(moment: datetime, language: str) -> str:
    """'10.05', '9.00'; in English '10:05'."""
    return _hour_and_minute(moment.hour, moment.minute, pick_language(language), whole_hour_alone=False)


def day_and_month(moment: datetime, language: str) -> str:
    """'11.1.'; in English '11 Jan'."""
    language = pick_language(language)
    if language == "en":
        return f"{moment.day} {MONTHS['en'][moment.month - 1][:3]}"
    return f"{moment.day}.{moment.month}."


def short_date(moment: datetime, language: str) -> str:
    """'ma 11.1.', 'mån 11.1.', 'Mon 11 Jan'."""
    return f"{WEEKDAYS_SHORT[pick_language(language)][moment.weekday()]} {day_and_month(moment, language)}"


def call_time(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """When a call came, in the line's zone: 'ma 11.1. klo 10.05', 'mån 11.1. kl. 10.05',
    'Mon 11 Jan 10:05'."""
    local = moment.astimezone(tz)
    return render("sms", "call_time", language, day=WEEKDAYS_SHORT[pick_language(language)][local.weekday()],
                  date=day_and_month(local, language), clock=clock(local, language))


def opening_hours(weekly: WeeklySchedule, language: str) -> str:
    """The weekly schedule in a few words: 'ma-pe 9-15, la 10-14', 'mån-fre 9-15'. Days with the
    same hours in a row are grouped; an empty schedule gives ''."""
    language = pick_language(language)
    names = WEEKDAYS_SHORT[language]

    def span(opens: int, closes: int) -> str:
        return "-".join(_hour_and_minute(minute // 60, minute % 60, language, whole_hour_alone=True)
                        for minute in (opens, closes))

    groups: list[tuple[int, int, str]] = []  # first day, last day, hours
    for day in range(7):
        intervals = weekly.intervals_on(day)
        if not intervals:
            continue
        hours = render("sms", "and", language).join(span(i.opens_minute, i.closes_minute) for i in intervals)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == hours:
            groups[-1] = (groups[-1][0], day, hours)
        else:
            groups.append((day, day, hours))
    return ", ".join(f"{names[first]}{'-' + names[last] if last != first else ''} {hours}"
                     for first, last, hours in groups)


# --- spoken --------------------------------------------------------------------------------------


def _spoken_clock(moment: datetime, language: str) -> str:
    if language == "en":
        time = _hour_and_minute(moment.hour % 12 or 12, moment.minute, language, whole_hour_alone=True)
        time += " a.m." if moment.hour < 12 else " p.m."
    else:
        time = _hour_and_minute(moment.hour, moment.minute, language, whole_hour_alone=True)
    return render("voice", "clock", language, time=time)


def spoken_time(moment: datetime, now: datetime, language: str) -> str:
    """When the line opens, as a person would say it, counted in ``moment``'s zone: "tänään
    kello 19", "på fredag klockan 12.15", "on Wednesday 20 January at 8:45 a.m."."""
    language = pick_language(language)
    days = (moment.date() - now.astimezone(moment.tzinfo).date()).days
    said_clock = _spoken_clock(moment, language)
    if days == 0:
        return render("voice", "when_today", language, clock=said_clock)
    if days == 1:
        return render("voice", "when_tomorrow", language, clock=said_clock)
    weekday = WEEKDAYS_ON[language][moment.weekday()]
    if days < 7:
        return render("voice", "when_this_week", language, weekday=weekday, clock=said_clock)
    return render("voice", "when_later", language, weekday=weekday, day=moment.day,
                  month=MONTHS[language][moment.month - 1], clock=said_clock)
