"""/api/office-hours (the weekly schedule) and /api/closures (when the line is shut anyway).

PUT /api/office-hours replaces the whole week, so it must name all seven days: a forgotten day
must not silently close the line. A day is a list of ``["HH:MM", "HH:MM"]`` intervals in local
time; ``"24:00"`` may end one; they run forwards and do not overlap (touching is fine).

A closure is a whole local day (``date``) or a span (``starts_at``/``ends_at``), with a reason
that callers' status answers repeat.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, url_for
from sqlalchemy import delete, select

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import audit_actor, created, fetch, line_timezone, no_content, now, when
from helpline.api.errors import Unprocessable
from helpline.audit import closure_snapshot, office_hours_snapshot, record
from helpline.models import AuditEntity, Closure, OfficeHoursInterval
from helpline.rota.rules import WEEKDAYS, format_minute
from helpline.rota.localtime import TimeParseError, day_bounds, parse_clock_time

blueprint = Blueprint("hours", __name__)

CLOSURE_FIELDS = ("date", "starts_at", "ends_at", "reason")
REASON_MAX = 200
MAX_CLOSURE = timedelta(days=366)


def week_json(rows: list[OfficeHoursInterval]) -> dict[str, list[list[str]]]:
    week: dict[str, list[list[str]]] = {day: [] for day in WEEKDAYS}
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens_minute)):
        week[WEEKDAYS[row.weekday]].append([format_minute(row.opens_minute), format_minute(row.closes_minute)])
    return week


@blueprint.get("/office-hours")
def get_office_hours():
    with current_services().db.session() as session:
        return week_json(list(session.scalars(select(OfficeHoursInterval))))


@blueprint.put("/office-hours")
def put_office_hours():
    body = v.json_object()
    unknown = sorted(set(body) - set(WEEKDAYS))
    if unknown:
        raise Unprocessable(f"unknown day{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                            f"the days are {', '.join(WEEKDAYS)}")
    missing = [day for day in WEEKDAYS if day not in body]
    if missing:
        raise Unprocessable(f"the whole week is replaced, so name every day; missing: {', '.join(missing)} "
                            "(give [] for a day the line is closed)")
    intervals = [(weekday, *interval) for weekday, day in enumerate(WEEKDAYS) for interval in _day(day, body[day])]
    with current_services().db.session() as session:
        before = office_hours_snapshot(session.scalars(select(OfficeHoursInterval)))
        session.execute(delete(OfficeHoursInterval))
        rows = [OfficeHoursInterval(weekday=w, opens_minute=o, closes_minute=c) for w, o, c in intervals]
        session.add_all(rows)
        record(session, audit_actor(), AuditEntity.OFFICE_HOURS, None, before, office_hours_snapshot(rows), now())
        return week_json(rows)


def _day(day: str, value: object) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        raise Unprocessable(f'{day} must be a list of intervals like [["09:00", "15:00"]], or [] when closed')
    intervals: list[tuple[int, int]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2):
            raise Unprocessable(f'{day}: {item!r} is not an interval like ["09:00", "15:00"]')
        try:
            opens = parse_clock_time(item[0])
            closes = parse_clock_time(item[1], end_of_day_allowed=True)
        except TimeParseError as error:
            raise Unprocessable(f"{day}: {error}") from None
        if closes <= opens:
            raise Unprocessable(f"{day}: {item[0]}-{item[1]} must close after it opens "
                                "(split a night across two days, ending the first at 24:00)")
        intervals.append((opens, closes))
    intervals.sort()
    for (_, first_closes), (second_opens, _) in zip(intervals, intervals[1:]):
        if second_opens < first_closes:
            raise Unprocessable(f"{day}: intervals overlap around {format_minute(second_opens)}-"
                                f"{format_minute(first_closes)}; merge them into one")
    return intervals


def closure_json(closure: Closure) -> dict[str, Any]:
    return {
        "id": closure.id,
        "date": closure.date.isoformat() if closure.date else None,
        "starts_at": when(closure.starts_at),
        "ends_at": when(closure.ends_at),
        "reason": closure.reason,
        "created_at": when(closure.created_at),
    }


@blueprint.get("/closures")
def list_closures():
    """Closures not over by ``from`` (default now), soonest first."""
    since = v.query_instant("from", line_timezone()) or now()
    with current_services().db.session() as session:
        closures = session.scalars(
            select(Closure).where(Closure.ends_at > since).order_by(Closure.starts_at, Closure.id)
        ).all()
        return {"closures": [closure_json(closure) for closure in closures]}


@blueprint.post("/closures")
def add_closure():
    body = v.json_object()
    v.check_fields(body, CLOSURE_FIELDS, required=("reason",))
    reason = v.text(body, "reason", max_length=REASON_MAX)
    tz = line_timezone()
    spans = [name for name in ("starts_at", "ends_at") if body.get(name) is not None]
    day = None
    if body.get("date") is not None:
        if spans:
            raise Unprocessable("give either date (a whole day) or starts_at and ends_at, not both")
        day = v.calendar_date(body, "date")
        starts, ends = day_bounds(day, tz)
    elif len(spans) == 2:
        starts, ends = v.instant(body, "starts_at", tz), v.instant(body, "ends_at", tz)
        if ends <= starts:
            raise Unprocessable(f"a closure must end after it starts: ends_at {when(ends)} is not after "
                                f"starts_at {when(starts)}")
        if ends - starts > MAX_CLOSURE:
            raise Unprocessable("a closure may last at most 366 days")
    else:
        raise Unprocessable("a closure needs a date (like 2027-01-07) for a whole day, "
                            "or both starts_at and ends_at")
    with current_services().db.session() as session:
        closure = Closure(starts_at=starts, ends_at=ends, date=day, reason=reason, created_at=now())
        session.add(closure)
        session.flush()
        record(session, audit_actor(), AuditEntity.CLOSURE, closure.id, None, closure_snapshot(closure, tz), now())
        return created(closure_json(closure), url_for(".get_closure", closure_id=closure.id))


@blueprint.get("/closures/<int:closure_id>")
def get_closure(closure_id: int):
    with current_services().db.session() as session:
        return closure_json(fetch(session, Closure, closure_id, "closure"))


@blueprint.delete("/closures/<int:closure_id>")
def remove_closure(closure_id: int):
    with current_services().db.session() as session:
        closure = fetch(session, Closure, closure_id, "closure")
        before = closure_snapshot(closure, line_timezone())
        session.delete(closure)
        record(session, audit_actor(), AuditEntity.CLOSURE, closure_id, before, None, now())
    return no_content()
