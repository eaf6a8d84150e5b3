"""Refusals and import problems in the reader's language.

helpline.rota.changes and helpline.rota.csv_import raise or return facts (who, which shift, which
line); here they become sentences through Flask-Babel, with times as the pages show them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from helpline.rota.changes import (
    ShiftClash,
    ShiftEndsBeforeStart,
    ShiftRefused,
    ShiftTooLong,
    Skipped,
    StaffInactive,
)
from helpline.rota.csv_import import RowProblem
from helpline.web.i18n import clock, day

DAY_PATTERN = "EEE d.M."


def span(starts: datetime, ends: datetime) -> str:
    """'ti 12.1. 09:00–15:00', with the end's day when it is another (midnight ends a day as 24:00)."""
    start_day, end_day = day(starts, DAY_PATTERN), day(ends, DAY_PATTERN)
    if start_day != end_day and clock(ends) == "00:00" and ends - starts <= timedelta(hours=24):
        return f"{start_day} {clock(starts)}–24:00"
    if start_day == end_day:
        return f"{start_day} {clock(starts)}–{clock(ends)}"
    return f"{start_day} {clock(starts)} – {end_day} {clock(ends)}"


def refusal(error: ShiftRefused) -> str:
    if isinstance(error, ShiftClash):
        return _("%(name)s already has a shift %(clash)s, which overlaps %(wanted)s.",
                 name=error.staff.name, clash=span(error.clash.starts_at, error.clash.ends_at),
                 wanted=span(error.starts, error.ends))
    if isinstance(error, ShiftEndsBeforeStart):
        return _("A shift must end after it starts.")
    if isinstance(error, ShiftTooLong):
        return _("A shift may last at most 24 hours; split it into several shifts.")
    if isinstance(error, StaffInactive):
        return _("%(name)s is not active; activate them on the Staff page first.", name=error.staff.name)
    return str(error)


SKIP_REASONS = {
    "inactive": _l("%(name)s is no longer active."),
    "already": _l("%(name)s already has this shift this week."),
    "clash": _l("%(name)s already has a shift %(clash)s this week."),
    "dst": _l("this time does not exist or repeats this week because the clocks change."),
}


def skipped(item: Skipped) -> str:
    source = item.source
    reason = SKIP_REASONS[item.reason] % {
        "name": source.staff.name,
        "clash": span(item.clash.starts_at, item.clash.ends_at) if item.clash is not None else "",
    }
    return _("Not copied: %(name)s %(span)s: %(reason)s", name=source.staff.name,
             span=span(source.starts_at, source.ends_at), reason=reason)


PROBLEMS = {
    "empty": _l("The file has no rows. The first line names the columns: date,start,end,person,priority."),
    "too_big": _l("The file is larger than %(limit)s KiB; split it into several."),
    "too_many_rows": _l("The file has more than %(limit)s rows; split it into several."),
    "columns": _l("The first line must name the columns date, start, end and person (priority is optional); "
                  "missing: %(missing)s."),
    "unknown_column": _l("Unknown column “%(column)s”; the columns are date, start, end, person, priority."),
    "cells": _l("Expected %(expected)s cells as in the header, found %(found)s."),
    "date": _l("“%(value)s” is not a date like 2027-01-18 or 18.1.2027."),
    "time": _l("%(column)s “%(value)s” is not a time like 09:00."),
    "dst_gap": _l("%(column)s %(value)s on %(date)s does not exist: the clocks go forward that night."),
    "dst_repeat": _l("%(column)s %(value)s on %(date)s happens twice: the clocks go back that night. "
                     "Add this shift on the Rota page instead."),
    "end_before_start": _l("The shift must end after it starts (%(start)s–%(end)s). A night is two rows: "
                           "one ending 24:00 and one starting 00:00."),
    "unknown_person": _l("Nobody on the staff list has the phone number or name “%(value)s”."),
    "ambiguous_person": _l("%(count)s staff members are called “%(value)s”; use their phone number."),
    "inactive_person": _l("%(name)s is not active; activate them on the Staff page first."),
    "priority": _l("Priority “%(value)s” must be a whole number from 0 to 10000."),
    "overlap_row": _l("%(name)s's shift %(start)s–%(end)s overlaps their shift on line %(other_line)s."),
    "overlap_existing": _l("%(name)s already has a shift %(clash_start)s–%(clash_end)s, which overlaps "
                           "%(start)s–%(end)s."),
}
COLUMN_NAMES = {"start": _l("start"), "end": _l("end")}


def problem(item: RowProblem) -> str:
    params = dict(item.params)
    if "column" in params and params["column"] in COLUMN_NAMES:
        params["column"] = str(COLUMN_NAMES[params["column"]])
    return str(PROBLEMS[item.code]) % params
