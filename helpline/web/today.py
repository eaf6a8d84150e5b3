"""The Today page: is the line open, who is on duty now and next, who is on a call and how many
callers wait in the queue, what is waiting, and the gaps. It reloads itself every
``REFRESH_SECONDS`` (a <meta> refresh: no script, as the CSP wants).

Supervisors see the whole line; staff see the line's state, their own shifts and the callbacks
assigned to them (nobody else's).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.metrics.queue_load import live_line
from helpline.services import current_services
from helpline.rota.coverage import coming_weeks, rota_gaps
from helpline.models import OPEN_STATUSES, CallbackRequest, Staff
from helpline.rota.rules import DutyShift, line_status, on_duty
from helpline.rota.load import load_calendar, load_shifts_between
from helpline.web.auth import current_user, login_required

blueprint = Blueprint("today", __name__)

# How far ahead "who is on duty next" looks for the next shift to start.
NEXT_DUTY_HORIZON = timedelta(days=7)
REFRESH_SECONDS = 30


@dataclass(frozen=True)
class NextDuty:
    at: datetime
    people: list[DutyShift]


@blueprint.get("/")
@login_required
def index():
    line = current_services()
    now = line.clock.now()
    user = current_user()
    assert user is not None
    with line.db.session() as db:
        calendar = load_calendar(db, line.settings, now)
        status = line_status(now, calendar)
        window_start, window_end = coming_weeks(now, calendar)
        shifts = load_shifts_between(db, now, max(window_end, now + NEXT_DUTY_HORIZON))
        callbacks = open_callbacks(db, None if user.is_supervisor else user.staff_id)
        context = dict(status=status, now=now, callbacks=callbacks, refresh_seconds=REFRESH_SECONDS)
        if user.is_supervisor:
            last_day = (window_end.astimezone(line.settings.timezone) - timedelta(days=1)).date()
            context.update(live=live_line(db, now, line.settings.queue_max_wait_seconds), on_duty=on_duty(now, shifts), next_duty=next_duty(now, shifts),
                           gaps=rota_gaps(calendar, shifts, window_start, window_end), last_day=last_day)
        else:
            mine = [shift for shift in shifts if shift.staff_id == user.staff_id and shift.starts_at < window_end]
            context.update(my_shifts=mine, on_duty_now=any(s.covers(now) for s in mine), window_end=window_end)
        return render_template("today.html", **context)


def next_duty(now: datetime, shifts: list[DutyShift]) -> NextDuty | None:
    """Who will be on duty when the rota next changes by someone starting, in ringing order."""
    starts = sorted({shift.starts_at for shift in shifts if shift.active and shift.starts_at > now
                     and shift.starts_at <= now + NEXT_DUTY_HORIZON})
    for moment in starts:
        people = on_duty(moment, shifts)
        if people:
            return NextDuty(moment, people)
    return None


def open_callbacks(db: Session, staff_id: int | None) -> list[tuple[CallbackRequest, Staff | None]]:
    """Open callbacks, oldest first, with their assignee; only ``staff_id``'s when given."""
    query = (
        select(CallbackRequest, Staff)
        .outerjoin(Staff, Staff.id == CallbackRequest.assignee_id)
        .where(CallbackRequest.status.in_(OPEN_STATUSES))
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    )
    if staff_id is not None:
        query = query.where(CallbackRequest.assignee_id == staff_id)
    return [(callback, staff) for callback, staff in db.execute(query).unique().all()]
