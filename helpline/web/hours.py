"""Office hours and closures (supervisors only), and this year's public holidays.

The weekly schedule is edited as one form, a line per day ("09:00-15:00, 17:00-20:00"; empty
means closed), and replaced whole, as PUT /api/office-hours does. Closures are a whole local day
or a span. The public holidays come from the holiday calendar (HOLIDAY_CALENDAR, the `holidays`
library), shown so nobody has to remember them: the line is closed on them anyway.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import holidays as holidays_lib
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from helpline.services import current_services
from helpline.audit import Actor, closure_snapshot, office_hours_snapshot, record
from helpline.models import ActorKind, Closure, OfficeHoursInterval
from helpline.rota.rules import WEEKDAYS, format_minute, parse_clock
from helpline.rota.localtime import TimeParseError, day_bounds, localise
from helpline.web.auth import current_user, not_found, supervisor_required
from helpline.web.validators import in_line_years
from helpline.web.dates import DATE_HELP, DayAndClockField, DayField

blueprint = Blueprint("hours", __name__, url_prefix="/hours")

DAY_LABELS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
              _l("Sunday"))
MAX_CLOSURE = timedelta(days=366)
_SEPARATORS = re.compile(r"[,;]")
_DASH = re.compile(r"\s*[-–—]\s*")
# The holidays library's names in the reader's language, where it has them.
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def parse_day(text: str) -> list[tuple[int, int]]:
    """'09:00-12:00, 13:00-15:00' -> [(540, 720), (780, 900)]; '' -> []. Raises ValueError in words."""
    intervals: list[tuple[int, int]] = []
    for part in (piece.strip() for piece in _SEPARATORS.split(text or "")):
        if not part:
            continue
        ends = _DASH.split(part)
        if len(ends) != 2:
            raise ValueError(_("“%(part)s” is not a time span like 09:00-15:00.", part=part))
        try:
            # 9.00 and 9:00 are both how people write times here.
            opens = parse_clock(ends[0].replace(".", ":"))
            closes = parse_clock(ends[1].replace(".", ":"))
        except ValueError:
            raise ValueError(_("“%(part)s” is not a time span like 09:00-15:00.", part=part)) from None
        if closes <= opens:
            raise ValueError(_("%(part)s must close after it opens. A night is split over two days, the first "
                               "ending at 24:00.", part=part))
        intervals.append((opens, closes))
    intervals.sort()
    for (_o, first_closes), (second_opens, _c) in zip(intervals, intervals[1:]):
        if second_opens < first_closes:
            raise ValueError(_("The spans overlap around %(time)s; merge them into one.",
                               time=format_minute(second_opens)))
    return intervals


def _day_validator(form, field) -> None:
    try:
        field.parsed = parse_day(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class WeekForm(FlaskForm):
    pass


for _index, _name in enumerate(WEEKDAYS):
    # No placeholder: a grey "09:00-15:00" in an empty (closed) day reads as real hours.
    setattr(WeekForm, _name, StringField(DAY_LABELS[_index], validators=[_day_validator],
                                         render_kw={"autocomplete": "off", "spellcheck": "false"}))


class ClosureForm(FlaskForm):
    day = DayField(_l("A whole day"), validators=[Optional(), in_line_years], description=DATE_HELP)
    starts_at = DayAndClockField(_l("Or from"), validators=[Optional(), in_line_years],
                                 description=_l("A date and a time, for example 31.1.2027 12:00."))
    ends_at = DayAndClockField(_l("to"), validators=[Optional(), in_line_years])
    reason = StringField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason; callers hear "
                                                                           "that the line is closed.")),
                                                   Length(max=200)],
                         description=_l("For example: staff training."))

    def span(self, tz) -> tuple[datetime, datetime, date | None]:
        """The closure's [start, end) and its day, or ValidationError on the field at fault."""
        if self.day.data and (self.starts_at.data or self.ends_at.data):
            raise _FieldError(self.day, _("Give either a whole day or a start and an end, not both."))
        if self.day.data:
            starts, ends = day_bounds(self.day.data, tz)
            return starts, ends, self.day.data
        if not (self.starts_at.data and self.ends_at.data):
            raise _FieldError(self.day, _("Give a whole day, or both a start and an end."))
        try:
            starts, ends = localise(self.starts_at.data, tz), localise(self.ends_at.data, tz)
        except TimeParseError:
            raise _FieldError(self.starts_at, _("That time does not exist or happens twice as the clocks "
                                                "change; choose another.")) from None
        if ends <= starts:
            raise _FieldError(self.ends_at, _("A closure must end after it starts."))
        if ends - starts > MAX_CLOSURE:
            raise _FieldError(self.ends_at, _("A closure may last at most 366 days."))
        return starts, ends, None


class _FieldError(Exception):
    def __init__(self, field, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _actor() -> Actor:
    user = current_user()
    assert user is not None
    return Actor(f"{user.name} ({user.username})", ActorKind.USER.value)


def holidays_of(year: int, calendar: str, language: str) -> list[tuple[date, str]]:
    if not calendar:
        return []
    try:
        found = holidays_lib.country_holidays(calendar, years=year, language=HOLIDAY_LANGUAGES.get(language))
    except (NotImplementedError, KeyError):
        found = holidays_lib.country_holidays(calendar, years=year)
    return sorted(found.items())


def _page(week_form: WeekForm, closure_form: ClosureForm, status: int = 200, *, fill_week: bool = True):
    line = current_services()
    now = line.clock.now()
    tz = line.settings.timezone
    with line.db.session() as db:
        rows = list(db.scalars(select(OfficeHoursInterval)))
        if fill_week:
            for weekday, name in enumerate(WEEKDAYS):
                spans = sorted((r.opens_minute, r.closes_minute) for r in rows if r.weekday == weekday)
                getattr(week_form, name).data = ", ".join(f"{format_minute(o)}-{format_minute(c)}" for o, c in spans)
        closures = db.scalars(select(Closure).where(Closure.ends_at > now).order_by(Closure.starts_at)).all()
        year = now.astimezone(tz).year
        open_days = {r.weekday for r in rows}
        holidays = [(day, name, day.weekday() in open_days) for day, name in
                    holidays_of(year, line.settings.holiday_calendar, str(get_locale()))]
        return render_template("hours.html", week_form=week_form, closure_form=closure_form, closures=closures,
                               holidays=holidays, year=year, weekdays=WEEKDAYS), status


@blueprint.get("/")
@supervisor_required
def index():
    return _page(WeekForm(prefix="week"), ClosureForm(prefix="closure"))


@blueprint.post("/week")
@supervisor_required
def save_week():
    form = WeekForm(prefix="week")
    if not form.validate():
        return _page(form, ClosureForm(prefix="closure", formdata=None), 422, fill_week=False)
    line = current_services()
    with line.db.session() as db:
        before = office_hours_snapshot(db.scalars(select(OfficeHoursInterval)))
        db.execute(delete(OfficeHoursInterval))
        rows = [OfficeHoursInterval(weekday=weekday, opens_minute=o, closes_minute=c)
                for weekday, name in enumerate(WEEKDAYS) for o, c in getattr(form, name).parsed]
        db.add_all(rows)
        record(db, _actor(), "office_hours", None, before, office_hours_snapshot(rows), line.clock.now())
    flash(_("The office hours were saved."), "success")
    return redirect(url_for(".index"))


@blueprint.post("/closures")
@supervisor_required
def add_closure():
    form = ClosureForm(prefix="closure")
    line = current_services()
    if form.validate():
        try:
            starts, ends, day = form.span(line.settings.timezone)
        except _FieldError as error:
            error.field.errors = list(error.field.errors) + [error.message]
        else:
            now = line.clock.now()
            with line.db.session() as db:
                closure = Closure(starts_at=starts, ends_at=ends, date=day, reason=form.reason.data.strip(),
                                  created_at=now)
                db.add(closure)
                db.flush()
                record(db, _actor(), "closure", closure.id, None,
                       closure_snapshot(closure, line.settings.timezone), now)
            flash(_("The closure was added."), "success")
            return redirect(url_for(".index"))
    return _page(WeekForm(prefix="week", formdata=None), form, 422)


@blueprint.post("/closures/<int:closure_id>/delete")
@supervisor_required
def delete_closure(closure_id: int):
    line = current_services()
    with line.db.session() as db:
        closure = db.get(Closure, closure_id)
        if closure is None:
            return not_found()
        record(db, _actor(), "closure", closure.id, closure_snapshot(closure, line.settings.timezone), None,
               line.clock.now())
        db.delete(closure)
    flash(_("The closure was removed."), "success")
    return redirect(url_for(".index"))
