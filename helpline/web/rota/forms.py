"""The Rota pages' forms (Flask-WTF: every one carries a CSRF token)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from helpline.rota.changes import PRIORITY_RANGE
from helpline.rota.localtime import AmbiguousLocalTime, NonexistentLocalTime, localise
from helpline.web.validators import in_line_years
from helpline.web.dates import DATE_HELP, ClockField, DayField


class ShiftForm(FlaskForm):
    staff_id = SelectField(_l("Person"), coerce=int, validators=[InputRequired()])
    day = DayField(_l("Date"), validators=[InputRequired(), in_line_years], description=DATE_HELP)
    starts = ClockField(_l("Starts"), validators=[InputRequired()])
    ends = ClockField(_l("Ends"), validators=[InputRequired()],
                     description=_l("An end at or before the start means the next day (a night shift)."))
    priority = IntegerField(_l("Ringing order"), default=1,
                            validators=[InputRequired(), NumberRange(*PRIORITY_RANGE)],
                            description=_l("1 rings first, then 2, and so on."))

    def instants(self, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
        """The shift's start and end as instants, or None with the field errors set (DST gaps)."""
        day, starts, ends = self.day.data, self.starts.data, self.ends.data
        end_day = day if ends > starts else day + timedelta(days=1)
        start_at = _instant(self.starts, day, starts, tz)
        end_at = _instant(self.ends, end_day, ends, tz)
        if start_at is None or end_at is None:
            return None
        return start_at, end_at


def _instant(field, day: date, moment, tz: ZoneInfo) -> datetime | None:
    try:
        return localise(datetime.combine(day, moment), tz).astimezone(timezone.utc)
    except NonexistentLocalTime:
        field.errors.append(_l("This time does not exist that night: the clocks go forward an hour."))
    except AmbiguousLocalTime:
        field.errors.append(_l("This time happens twice that night as the clocks go back; choose another."))
    return None


class CopyWeekForm(FlaskForm):
    week = HiddenField(validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
