"""The duty rota (shifts), the weekly office hours and the closures, and the calendar's version."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Connection, ForeignKey, Index, String, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column, relationship

from helpline.models.base import Base
from helpline.models.staff import Staff


class Shift(Base):
    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_shift_window", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Lower rings first.
    priority: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[datetime]

    staff: Mapped[Staff] = relationship(lazy="joined")


class OfficeHoursInterval(Base):
    """One opening interval of the weekly schedule, in local wall-clock minutes."""

    __tablename__ = "office_hours_interval"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens_minute >= 0 AND closes_minute <= 1440 AND closes_minute > opens_minute",
                        name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int]  # Monday is 0, as in datetime.weekday()
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]


class Closure(Base):
    """A period when the line is closed although the weekly schedule says open."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # The local date when the closure was given as a whole day, for display.
    date: Mapped[date | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class CalendarVersion(Base):
    """One row whose number goes up with every change to the office hours or the closures, in
    the change's own transaction: a process may keep the calendar it read (every incoming call
    asks it) for as long as this number stays the same (helpline.rota.load.load_calendar)."""

    __tablename__ = "calendar_version"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    version: Mapped[int]


_CALENDAR_TABLES = (OfficeHoursInterval, Closure)
# An upsert, so the row need not be seeded (tables made with create_all, or emptied by tests).
_BUMP = {name: insert(CalendarVersion.__table__).values(id=1, version=1).on_conflict_do_update(
             index_elements=[CalendarVersion.__table__.c.id],
             set_={"version": CalendarVersion.__table__.c.version + 1})
         for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}
READ_CALENDAR_VERSION = select(CalendarVersion.__table__.c.version).where(CalendarVersion.__table__.c.id == 1)


def bump_calendar_version(connection: Connection) -> None:
    connection.execute(_BUMP["postgresql" if connection.dialect.name == "postgresql" else "sqlite"])


def _row_changed(_mapper: Mapper, connection: Connection, _target: object) -> None:
    bump_calendar_version(connection)


for _model in _CALENDAR_TABLES:
    for _change in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _change, _row_changed)


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state: ORMExecuteState) -> None:
    """A bulk INSERT, UPDATE or DELETE of hours or closures (``delete(OfficeHoursInterval)``)
    flushes no row, so the mapper events above do not see it."""
    if (state.is_update or state.is_delete or state.is_insert) and any(
            mapper.class_ in _CALENDAR_TABLES for mapper in state.all_mappers):
        bump_calendar_version(state.session.connection())
