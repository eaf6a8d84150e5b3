"""The declarative base and the one place where datetimes (and Twilio's text) are normalised.

Every instant is stored in UTC and comes back time-zone aware, on SQLite (which drops the
offset) and PostgreSQL alike. Every value a Twilio webhook hands us is stored the same way on
both too (:class:`TwilioText`).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapper
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class NaiveDatetimeError(ValueError):
    """A naive datetime reached the database; every instant in Helpline must be aware."""


def _refuse_naive(value: datetime | None, what: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise NaiveDatetimeError(f"refusing to store naive datetime {value!r} in {what}")


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        # Here SQLAlchemy wraps the error in a StatementError (queries and Core inserts); model
        # attributes are checked earlier, when set, so the ORM raises NaiveDatetimeError itself.
        _refuse_naive(value, "a query or insert")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            # SQLite has no time zones; store naive UTC so that string comparison orders instants.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class TwilioText(TypeDecorator[str]):
    """A value from a Twilio request (a sid, a status, a number, a body), kept as well as the column
    can hold it: without NUL characters, which PostgreSQL cannot store, and cut at the column's
    length, which PostgreSQL enforces and SQLite does not. Twilio's own values always fit; an odd
    one must still not lose the call or message it came with. Lookups are cut the same way, so a
    repeated request finds what its first delivery stored."""

    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__(length)

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(String(self.impl.length) if self.impl.length else Text())

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        value = value.replace("\x00", "")
        return value[: self.impl.length] if self.impl.length else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


@event.listens_for(Base, "mapper_configured", propagate=True)
def _check_datetimes_when_set(mapper: Mapper, class_: type) -> None:
    """Refuse a naive datetime at the line that assigns it, not later at flush."""
    for prop in mapper.column_attrs:
        if any(isinstance(column.type, UTCDateTime) for column in prop.columns):
            what = f"{class_.__name__}.{prop.key}"

            def check(_target, value, _old, _initiator, what=what):
                _refuse_naive(value, what)

            event.listen(prop.class_attribute, "set", check)
