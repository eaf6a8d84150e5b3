"""Field checks the pages' forms share, with the same limits the API applies."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from helpline.names import unsafe_character
from helpline.rota.localtime import EARLIEST_YEAR, LATEST_YEAR, TimeParseError, check_year


def one_line_name(form, field) -> None:
    """A name: no line breaks, tabs, other control characters or bidirectional overrides (helpline.names)."""
    if field.data and unsafe_character(field.data) is not None:
        # StopValidation: the field's other checks would only add a less telling message.
        raise StopValidation(_l("Line breaks, tabs and other control characters are not allowed here."))


def in_line_years(form, field) -> None:
    """A date (or date and time) in the years the line works with (helpline.rota.localtime)."""
    value = field.data
    if value is None:
        return
    try:
        check_year(value.date() if isinstance(value, datetime) else value)
    except TimeParseError:
        raise ValidationError(_l("Give a date in the years %(first)d-%(last)d.", first=EARLIEST_YEAR,
                                 last=LATEST_YEAR)) from None

