"""The calendar kept per process (helpline.rota.load.load_calendar): read again exactly when the
office hours or closures changed, by whatever path and in whichever process, and otherwise not
read at all beyond its version."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from sqlalchemy import delete, event, update

from conftest import helsinki
from helpline.db import Database
from helpline.models import Closure, OfficeHoursInterval
from helpline.rota.load import load_calendar, status_at

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
