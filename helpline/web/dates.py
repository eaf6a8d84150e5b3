"""Dates and times typed on the pages, in the pages' one numeric form, whatever the browser's locale.

Chromium draws ``<input type="date">`` and ``type="time"`` in the browser's own locale, ignoring
the page's ``lang``: mm/dd/yyyy and AM/PM on a Finnish page under an English browser. So the
pages use text inputs written the way the pages print dates and times (11.1.2027, 09:30; see
helpline.web.i18n), with ``inputmode`` for a numeric keyboard on phones, and read them here.

Read leniently, because a phone's keyboard decides the separator: 11.1.2027, 11,1,2027,
11/1/2027, 11.1.27 and the ISO 2027-01-11 (links carry that form); 9:30, 9.30, 09,30, 930 and 9.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from helpline.rota.localtime import EARLIEST_YEAR, LATEST_YEAR, TimeParseError, check_year

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[.,/-]\s*(\d{1,2})\s*[.,/-]\s*(\d{4}|\d{2})")
_CLOCK = re.compile(r"(\d{1,2})(?:\s*[:.,]\s*(\d{2}))?")
_CLOCK_DIGITS = re.compile(r"(\d{1,2})(\d{2})")

# For the browser. ``pattern`` is compiled with the ``v`` flag: inside a class "-" and "/" are escaped,
# outside one "-" must not be.
DATE_PATTERN_ATTRIBUTE = r"\s*(\d{1,2}\s*[.,\/\-]\s*\d{1,2}\s*[.,\/\-]\s*(\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2})\s*"
TIME_PATTERN_ATTRIBUTE = r"\s*\d{1,2}(\s*[:.,]\s*\d{2})?\s*|\s*\d{3,4}\s*"


class DateInputError(ValueError):
    """Text that is not a date or a time; the message says so in the reader's language."""


def parse_day(text: str) -> date:
    """'11.1.2027', '11,1,27', '2027-01-11' -> date(2027, 1, 11)."""
    raw = (text or "").strip()
    iso = _ISO_DATE.fullmatch(raw)
    found = (int(iso[1]), int(iso[2]), int(iso[3])) if iso else None
    if found is None:
        dmy = _DAY_MONTH_YEAR.fullmatch(raw)
        if dmy:
            year = int(dmy[3])
            found = (year + 2000 if year < 100 else year, int(dmy[2]), int(dmy[1]))
    try:
        if found is None:
            raise ValueError(raw)
        day = date(*found)
    except ValueError:
        raise DateInputError(_("“%(text)s” is not a date; write it like %(example)s.", text=raw,
                               example="31.1.2027")) from None
    try:
        return check_year(day)  # the calendar's ends would overflow the arithmetic behind a page
    except TimeParseError:
        raise DateInputError(_("Give a date in the years %(first)d-%(last)d.", first=EARLIEST_YEAR,
                               last=LATEST_YEAR)) from None


def parse_clock(text: str) -> time:
    """'9:30', '9.30', '0930', '9' -> time(9, 30) or time(9, 0)."""
    raw = (text or "").strip()
    match = _CLOCK.fullmatch(raw) or _CLOCK_DIGITS.fullmatch(raw)
    try:
        if match is None:
            raise ValueError(raw)
        return time(int(match[1]), int(match[2] or 0))
    except ValueError:
        raise DateInputError(_("“%(text)s” is not a time; write it like %(example)s.", text=raw,
                               example="09:30")) from None


def show_day(value: date | None) -> str:
    """date(2027, 1, 11) -> '11.1.2027', the form parse_day reads back."""
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


def show_clock(value: time | None) -> str:
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def date_input_attributes() -> dict[str, str]:
    return {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "pattern": DATE_PATTERN_ATTRIBUTE,
            "size": "10"}


def time_input_attributes() -> dict[str, str]:
    return {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "pattern": TIME_PATTERN_ATTRIBUTE,
            "size": "5"}


class _TypedField(StringField):
    """A text input whose data is a date or a time; what was typed is kept when it cannot be read."""

    parse: Any = None
    show: Any = None

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {**self.attributes(), **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    @staticmethod
    def attributes() -> dict[str, str]:
        return {}

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        if not raw.strip():
            self.data = None
            return
        try:
            self.data = type(self).parse(raw)
        except DateInputError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return type(self).show(self.data) if isinstance(self.data, (date, time)) else ""


class DayField(_TypedField):
    """A date, typed as 11.1.2027 (``data``: a date or None)."""

    parse = staticmethod(parse_day)
    show = staticmethod(show_day)
    attributes = staticmethod(date_input_attributes)


class ClockField(_TypedField):
    """A time of day, typed as 09:30 (``data``: a time or None)."""

    parse = staticmethod(parse_clock)
    show = staticmethod(show_clock)
    attributes = staticmethod(time_input_attributes)


class DayAndClockField(StringField):
    """A local date and time, typed as '11.1.2027 09:30' (or ISO '2027-01-11T09:30')."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {"autocomplete": "off", "spellcheck": "false", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        day_text, _sep, clock_text = raw.replace("T", " ").partition(" ")
        try:
            if not clock_text.strip():
                raise DateInputError(_("“%(text)s” needs a date and a time, like %(example)s.", text=raw,
                                       example="31.1.2027 09:30"))
            self.data = datetime.combine(parse_day(day_text), parse_clock(clock_text))
        except DateInputError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, datetime):
            return f"{show_day(self.data.date())} {show_clock(self.data.time())}"
        return ""


DATE_HELP = _l("For example 31.1.2027.")


def input_day(value: date | str | None) -> str:
    """A date (or a date's text from a query) as a date input shows it: '11.1.2027'."""
    if isinstance(value, date):
        return show_day(value)
    try:
        return show_day(parse_day(value or "")) if value else ""
    except DateInputError:
        return str(value)


def init_app(app) -> None:
    """Templates: ``date_input(...)`` in partials/_forms.html reads DATE_INPUT_ATTRIBUTES."""
    app.jinja_env.globals["DATE_INPUT_ATTRIBUTES"] = date_input_attributes()
    app.jinja_env.filters["input_day"] = input_day
