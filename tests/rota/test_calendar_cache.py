"""The calendar kept per process (helpline.rota.load.load_calendar): read again exactly when the
office hours or closures changed, by whatever path and in whichever process, and otherwise not
read at all beyond its version."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, event, select, update

from conftest import helsinki
from helpline.db import Database
from helpline.models import Closure, OfficeHoursInterval
from helpline.rota.load import load_calendar, load_weekly_schedule, status_at

MONDAY_10 = helsinki("2027-01-11 10:00")


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL the database runs meanwhile."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def read_calendar(line, now=MONDAY_10):
    with line.db.session() as session:
        return load_calendar(session, line.settings, now)


def test_an_unchanged_calendar_is_read_once_and_then_only_its_version_is_asked(line, office_hours, make_closure):
    office_hours()
    make_closure(helsinki("2027-01-12 13:00"), helsinki("2027-01-12 15:00"))
    first = read_calendar(line)
    with statements(line.db) as seen:
        again = read_calendar(line)
    assert again == first
    tables = " ".join(seen).lower()
    assert "calendar_version" in tables
    assert "office_hours_interval" not in tables and "closure" not in tables


def test_hours_set_again_through_the_orm_are_seen_by_the_next_call(line, office_hours):
    office_hours()
    assert status_at_monday(line).open
    office_hours({0: [(11 * 60, 12 * 60)]})  # the fixture deletes every interval, then adds these
    assert not status_at_monday(line).open


def test_a_week_emptied_by_a_bulk_delete_alone_is_seen(line, office_hours):
    office_hours()
    assert status_at_monday(line).open
    with line.db.session() as session:
        session.execute(delete(OfficeHoursInterval))  # no row is added, so no row event fires
    assert not status_at_monday(line).open


def test_a_closure_added_moved_and_removed_is_seen_each_time(line, office_hours, make_closure):
    office_hours()
    assert status_at_monday(line).open
    closure = make_closure(helsinki("2027-01-11 09:30"), helsinki("2027-01-11 11:00"))
    assert status_at_monday(line).reason.startswith("closed: ")
    with line.db.session() as session:
        session.get(Closure, closure.id).ends_at = helsinki("2027-01-11 09:45")
    assert status_at_monday(line).open
    with line.db.session() as session:
        session.execute(update(Closure).values(ends_at=helsinki("2027-01-11 12:00")))
    assert not status_at_monday(line).open
    with line.db.session() as session:
        session.delete(session.get(Closure, closure.id))
    assert status_at_monday(line).open


def test_a_change_made_by_another_process_is_seen(line, office_hours):
    """Another process (here: another engine on the same database) changes the hours: this
    process's kept calendar is stale, and its version says so."""
    office_hours()
    assert status_at_monday(line).open
    other = Database(line.settings.database_url)
    try:
        with other.session() as session:
            session.execute(delete(OfficeHoursInterval))
            session.add(OfficeHoursInterval(weekday=0, opens_minute=12 * 60, closes_minute=13 * 60))
    finally:
        other.dispose()
    assert not status_at_monday(line).open
    assert status_at_monday(line, helsinki("2027-01-11 12:30")).open


def test_closures_that_have_ended_drop_out_as_time_passes_and_come_back_when_it_goes_back(line, office_hours,
                                                                                            make_closure):
    office_hours()
    make_closure(helsinki("2027-01-11 09:30"), helsinki("2027-01-11 11:00"))
    assert len(read_calendar(line).closures) == 1
    assert read_calendar(line, MONDAY_10 + timedelta(days=3)).closures == ()
    assert len(read_calendar(line).closures) == 1  # a clock moved back (the demo's) reads again


def status_at_monday(line, moment=MONDAY_10):
    with line.db.session() as session:
        return status_at(session, line.settings, moment)


# --- any sequence of changes: the kept calendar is always what a fresh read gives -----------------

def _add_closure(session, start_hour: int, hours: int) -> None:
    starts = MONDAY_10.replace(hour=0) + timedelta(hours=start_hour)
    session.add(Closure(starts_at=starts, ends_at=starts + timedelta(hours=hours), reason=f"c{start_hour}",
                        created_at=MONDAY_10))


def _move_closures(session, hours: int, _b: int) -> None:
    """Bulk UPDATE statements (no row flushed), one per closure."""
    for closure_id, starts, ends in session.execute(select(Closure.id, Closure.starts_at, Closure.ends_at)).all():
        session.execute(update(Closure).where(Closure.id == closure_id)
                        .values(starts_at=starts + timedelta(hours=hours), ends_at=ends + timedelta(hours=hours)))


def _drop_one_closure(session, _a: int, _b: int) -> None:
    first = session.scalar(select(Closure).order_by(Closure.id))
    if first is not None:
        session.delete(first)


def _set_monday(session, opens_hour: int, hours: int) -> None:
    session.execute(delete(OfficeHoursInterval).where(OfficeHoursInterval.weekday == 0))
    session.add(OfficeHoursInterval(weekday=0, opens_minute=opens_hour * 60,
                                    closes_minute=min(24, opens_hour + hours) * 60))


def _reshape_monday(session, opens_hour: int, _b: int) -> None:
    for interval in session.scalars(select(OfficeHoursInterval)):
        interval.opens_minute = min(opens_hour * 60, interval.closes_minute - 1)


CHANGES = st.one_of(
    st.tuples(st.just(_add_closure), st.integers(0, 40), st.integers(1, 30)),
    st.tuples(st.just(_move_closures), st.integers(-20, 20), st.just(0)),
    st.tuples(st.just(_drop_one_closure), st.just(0), st.just(0)),
    st.tuples(st.just(_set_monday), st.integers(0, 20), st.integers(1, 10)),
    st.tuples(st.just(_reshape_monday), st.integers(0, 20), st.just(0)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(CHANGES, st.integers(-48, 72)), max_size=8))
def test_after_any_changes_the_kept_calendar_is_what_a_fresh_read_gives(line, steps):
    """Changes of every kind (rows added, changed and removed, bulk updates and deletes), each
    followed by a call at some hour: the calendar the call gets is the one the tables hold."""
    with line.db.session() as session:
        session.execute(delete(Closure))
        session.execute(delete(OfficeHoursInterval))
    for (change, first, second), hours in steps:
        with line.db.session() as session:
            change(session, first, second)
        now = MONDAY_10 + timedelta(hours=hours)
        with line.db.session() as session:
            kept = load_calendar(session, line.settings, now)
            since = now - timedelta(days=1)
            fresh_closures = tuple(
                (row.starts_at, row.ends_at, row.reason) for row in session.scalars(
                    select(Closure).where(Closure.ends_at > since).order_by(Closure.starts_at)))
            fresh_weekly = load_weekly_schedule(session)
        assert kept.weekly == fresh_weekly
        assert sorted((c.starts_at, c.ends_at, c.reason) for c in kept.closures) == sorted(fresh_closures)
