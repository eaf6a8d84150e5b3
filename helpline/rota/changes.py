"""Changing the rota: the one place that decides whether a shift may be stored.

The API, the Rota page and the CSV import all ask :func:`find_clash` whether a person already has
a shift that overlaps, and the page's actions (add, edit, delete, hand over, swap, copy a week)
live here with their audit entries, so each is one transaction. Refusals are exceptions that
carry the facts (who, which shift, when); each caller puts them into its own words and language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.audit import Actor, record, shift_snapshot
from helpline.models import AuditEntity, Shift, Staff
from helpline.rota.csv_import import ImportPlan, Person, RowProblem, parse_rota, span
from helpline.rota.localtime import TimeParseError, format_instant, localise

MAX_SHIFT = timedelta(hours=24)
DEFAULT_PRIORITY = 100
PRIORITY_RANGE = (0, 10_000)


class ShiftRefused(ValueError):
    """A shift that cannot be stored as asked; the attributes say why, ``str()`` in plain English."""


class ShiftEndsBeforeStart(ShiftRefused):
    def __init__(self, starts: datetime, ends: datetime) -> None:
        super().__init__(f"a shift must end after it starts ({ends.isoformat()} is not after {starts.isoformat()})")
        self.starts, self.ends = starts, ends


class ShiftTooLong(ShiftRefused):
    def __init__(self, starts: datetime, ends: datetime) -> None:
        super().__init__("a shift may last at most 24 hours; split it into several shifts")
        self.starts, self.ends = starts, ends


class StaffInactive(ShiftRefused):
    def __init__(self, staff: Staff) -> None:
        super().__init__(f"{staff.name} is not active")
        self.staff = staff


class ShiftClash(ShiftRefused):
    """``staff`` already has ``clash``, which overlaps [starts, ends)."""

    def __init__(self, staff: Staff, clash: Shift, starts: datetime, ends: datetime) -> None:
        super().__init__(f"{staff.name} already has shift {clash.id} from {clash.starts_at.isoformat()} to "
                         f"{clash.ends_at.isoformat()}, which overlaps {starts.isoformat()} to {ends.isoformat()}")
        self.staff, self.clash, self.starts, self.ends = staff, clash, starts, ends

    def words(self, tz: ZoneInfo) -> str:
        """The API's wording: ISO times in the line's zone."""
        return (f"{self.staff.name} already has shift {self.clash.id} from {format_instant(self.clash.starts_at, tz)} "
                f"to {format_instant(self.clash.ends_at, tz)}, which overlaps {format_instant(self.starts, tz)} "
                f"to {format_instant(self.ends, tz)}")


def find_clash(session: Session, staff_id: int, starts: datetime, ends: datetime, *,
               ignore: Iterable[int | None] = ()) -> Shift | None:
    """The person's earliest shift overlapping [starts, ends), not counting the ``ignore`` ids.

    Shifts that only touch (one ends when the next starts) do not overlap.
    """
    query = select(Shift).where(Shift.staff_id == staff_id, Shift.starts_at < ends, Shift.ends_at > starts)
    ignored = [shift_id for shift_id in ignore if shift_id is not None]
    if ignored:
        query = query.where(Shift.id.not_in(ignored))
    return session.scalars(query.order_by(Shift.starts_at, Shift.id).limit(1)).first()


def check_shift(session: Session, staff: Staff, starts: datetime, ends: datetime, *,
                ignore: Iterable[int | None] = ()) -> None:
    """Raise the first reason the shift cannot be stored, if any."""
    if ends <= starts:
        raise ShiftEndsBeforeStart(starts, ends)
    if ends - starts > MAX_SHIFT:
        raise ShiftTooLong(starts, ends)
    if not staff.active:
        raise StaffInactive(staff)
    clash = find_clash(session, staff.id, starts, ends, ignore=ignore)
    if clash is not None:
        raise ShiftClash(staff, clash, starts, ends)


def add_shift(session: Session, actor: Actor, staff: Staff, starts: datetime, ends: datetime, priority: int,
              *, now: datetime, tz: ZoneInfo) -> Shift:
    check_shift(session, staff, starts, ends)
    shift = Shift(staff_id=staff.id, staff=staff, starts_at=starts, ends_at=ends, priority=priority, created_at=now)
    session.add(shift)
    session.flush()
    record(session, actor, AuditEntity.SHIFT, shift.id, None, shift_snapshot(shift, tz), now)
    return shift


def change_shift(session: Session, actor: Actor, shift: Shift, staff: Staff, starts: datetime, ends: datetime,
                 priority: int, *, now: datetime, tz: ZoneInfo) -> Shift:
    before = shift_snapshot(shift, tz)
    check_shift(session, staff, starts, ends, ignore=[shift.id])
    shift.staff_id, shift.staff = staff.id, staff
    shift.starts_at, shift.ends_at, shift.priority = starts, ends, priority
    session.flush()
    record(session, actor, AuditEntity.SHIFT, shift.id, before, shift_snapshot(shift, tz), now)
    return shift


def remove_shift(session: Session, actor: Actor, shift: Shift, *, now: datetime, tz: ZoneInfo) -> None:
    before = shift_snapshot(shift, tz)
    session.delete(shift)
    session.flush()
    record(session, actor, AuditEntity.SHIFT, shift.id, before, None, now)


def hand_over(session: Session, actor: Actor, shift: Shift, to: Staff, *, now: datetime, tz: ZoneInfo) -> Shift:
    """``to`` covers ``shift``: same times and priority, another person."""
    return change_shift(session, actor, shift, to, shift.starts_at, shift.ends_at, shift.priority, now=now, tz=tz)


def swap(session: Session, actor: Actor, first: Shift, second: Shift, *, now: datetime, tz: ZoneInfo) -> None:
    """The two people trade shifts; each must be free at the other's time, not counting these two."""
    if first.staff_id == second.staff_id:
        raise ValueError("a swap needs two different people's shifts")
    one, other = first.staff, second.staff
    both = [first.id, second.id]
    check_shift(session, one, second.starts_at, second.ends_at, ignore=both)
    check_shift(session, other, first.starts_at, first.ends_at, ignore=both)
    befores = shift_snapshot(first, tz), shift_snapshot(second, tz)
    first.staff_id, first.staff, second.staff_id, second.staff = other.id, other, one.id, one
    session.flush()
    for shift, before in zip((first, second), befores):
        record(session, actor, AuditEntity.SHIFT, shift.id, before, shift_snapshot(shift, tz), now)


@dataclass(frozen=True)
class Skipped:
    """A shift of last week that was not copied: ``reason`` is one of SKIP_REASONS."""

    source: Shift
    reason: str
    clash: Shift | None = None


SKIP_REASONS = ("inactive", "already", "clash", "dst")


@dataclass
class CopyResult:
    copied: list[Shift] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def shifts_between(session: Session, starts: datetime, ends: datetime, staff_id: int | None = None) -> list[Shift]:
    """Shifts that start in [starts, ends), in time and ringing order."""
    query = select(Shift).where(Shift.starts_at >= starts, Shift.starts_at < ends)
    if staff_id is not None:
        query = query.where(Shift.staff_id == staff_id)
    return list(session.scalars(query.order_by(Shift.starts_at, Shift.priority, Shift.id)))


def copy_week(session: Session, actor: Actor, monday: date, *, now: datetime, tz: ZoneInfo) -> CopyResult:
    """Copy the week before ``monday`` into the week starting ``monday``, at the same local times.

    A shift is skipped (with the reason) when its person is no longer active, when the same
    shift is already there (so copying twice does nothing), when it would overlap the person's
    shift in the target week, or when its local time does not exist or repeats that week (a
    DST change). Everything else is copied, in one transaction.
    """
    source_start = localise(datetime.combine(monday - timedelta(days=7), datetime.min.time()), tz)
    result = CopyResult()
    for source in shifts_between(session, source_start.astimezone(timezone.utc),
                                 localise(datetime.combine(monday, datetime.min.time()), tz)):
        try:
            starts, ends = _a_week_later(source.starts_at, tz), _a_week_later(source.ends_at, tz)
        except TimeParseError:
            result.skipped.append(Skipped(source, "dst"))
            continue
        if not source.staff.active:
            result.skipped.append(Skipped(source, "inactive"))
            continue
        clash = find_clash(session, source.staff_id, starts, ends)
        if clash is not None:
            same = (clash.starts_at, clash.ends_at) == (starts, ends)
            result.skipped.append(Skipped(source, "already" if same else "clash", clash))
            continue
        result.copied.append(add_shift(session, actor, source.staff, starts, ends, source.priority, now=now, tz=tz))
    return result


def _a_week_later(moment: datetime, tz: ZoneInfo) -> datetime:
    wall = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=7)
    return localise(wall, tz).astimezone(timezone.utc)


def plan_import(session: Session, text: str, tz: ZoneInfo) -> ImportPlan:
    """Parse a rota CSV against the staff list, and check each row against the shifts already stored."""
    people = [Person(staff.id, staff.name, staff.phone, staff.active) for staff in session.scalars(select(Staff))]
    plan = parse_rota(text, people, tz)
    for planned in plan.shifts:
        clash = find_clash(session, planned.staff_id, planned.starts_at, planned.ends_at)
        if clash is not None:
            clash_span = span(clash.starts_at, clash.ends_at, tz)
            plan.problems.append(RowProblem(planned.line, "overlap_existing", {
                "name": planned.staff_name, **span(planned.starts_at, planned.ends_at, tz),
                "clash_start": clash_span["start"], "clash_end": clash_span["end"]}))
    plan.problems.sort(key=lambda problem: problem.line)
    return plan


def apply_import(session: Session, actor: Actor, plan: ImportPlan, *, now: datetime, tz: ZoneInfo) -> list[Shift]:
    """Store every planned shift, each with its audit entry; the caller's transaction makes it all or nothing."""
    if not plan.valid:
        raise ValueError("only a file without problems is imported")
    staff = {person.id: person for person in
             session.scalars(select(Staff).where(Staff.id.in_({planned.staff_id for planned in plan.shifts})))}
    return [add_shift(session, actor, staff[planned.staff_id], planned.starts_at, planned.ends_at, planned.priority,
                      now=now, tz=tz) for planned in plan.shifts]
