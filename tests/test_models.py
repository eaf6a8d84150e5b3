"""The models keep their promises on SQLite and PostgreSQL (TEST_DATABASE_URL) alike: aware UTC
instants in and out, naive ones refused, one open callback per caller, shifts that run forwards."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from conftest import HELSINKI, helsinki
from helpline.models import (
    CallbackRequest,
    CallbackStatus,
    Closure,
    NaiveDatetimeError,
    OfficeHoursInterval,
    Shift,
    Staff,
)

NOW = helsinki("2027-01-11 10:00")


@pytest.mark.parametrize("moment", [
    helsinki("2027-01-11 10:00:00.123456"),
    datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=1),  # the second 03:30
    datetime(2027, 1, 11, 8, 0, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc),
])
def test_an_instant_comes_back_as_the_same_moment_in_utc(moment, line, make_staff):
    staff = make_staff("Aino")
    with line.db.session() as session:
        session.get(Staff, staff.id).sms_opted_out_at = moment
    with line.db.sessionmaker() as session:
        stored = session.get(Staff, staff.id).sms_opted_out_at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == moment.astimezone(timezone.utc)


def test_instants_are_stored_as_utc_in_the_database(line, make_staff):
    staff = make_staff("Aino")
    with line.db.session() as session:
        session.get(Staff, staff.id).sms_opted_out_at = helsinki("2027-01-11 10:00")
    with line.db.engine.connect() as connection:
        raw = connection.execute(text("SELECT sms_opted_out_at FROM staff")).scalar_one()
    if line.db.engine.dialect.name == "sqlite":
        assert str(raw).startswith("2027-01-11 08:00:00")  # naive UTC, so text order is time order
    else:
        assert raw == datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc)


def test_instants_compare_in_queries_as_moments_not_as_wall_clock_text(line, make_staff, make_shift, session):
    # 10:30 Helsinki (08:30 UTC) is earlier than 09:00 UTC, although "10:30" > "09:00" as text.
    aino = make_staff("Aino")
    make_shift(aino, helsinki("2027-01-11 10:30"), helsinki("2027-01-11 12:00"))
    early = session.scalars(select(Shift).where(Shift.starts_at < datetime(2027, 1, 11, 9, tzinfo=timezone.utc)))
    assert len(early.all()) == 1


@pytest.mark.parametrize("model, field", [
    (Staff, "created_at"), (Staff, "sms_opted_out_at"), (Shift, "starts_at"), (Closure, "ends_at"),
    (CallbackRequest, "last_call_at"),
])
def test_a_naive_datetime_is_refused_where_it_is_set(model, field):
    with pytest.raises(NaiveDatetimeError, match=f"{model.__name__}.{field}"):
        model(**{field: datetime(2027, 1, 11, 10)})


def test_a_naive_datetime_in_a_query_or_core_insert_is_refused(line, make_staff):
    with line.db.sessionmaker() as session:
        with pytest.raises(StatementError) as query_error:
            session.scalars(select(Staff).where(Staff.created_at < datetime(2027, 1, 11))).all()
        assert isinstance(query_error.value.orig, NaiveDatetimeError)
    with pytest.raises(StatementError) as insert_error, line.db.session() as session:
        session.execute(insert(Staff).values(name="X", phone="+358401234567", languages=[], role="staff",
                                             active=True, created_at=datetime(2027, 1, 11)))
    assert isinstance(insert_error.value.orig, NaiveDatetimeError)
    with line.db.sessionmaker() as session:
        assert session.scalars(select(Staff)).all() == []


# --- one open callback per caller --------------------------------------------------------------

def add_callback(line, caller: str, status: str) -> None:
    with line.db.session() as session:
        session.add(CallbackRequest(caller=caller, status=status, created_at=NOW, last_call_at=NOW))


@pytest.mark.parametrize("open_status", [CallbackStatus.NEW, CallbackStatus.ASSIGNED, CallbackStatus.ACKNOWLEDGED])
def test_a_caller_can_have_only_one_open_callback(line, open_status):
    add_callback(line, "+358401234567", CallbackStatus.NEW)
    with pytest.raises(IntegrityError):
        add_callback(line, "+358401234567", open_status)


def test_a_caller_may_have_any_number_of_closed_callbacks_beside_one_open(line):
    for _ in range(3):
        add_callback(line, "+358401234567", CallbackStatus.CLOSED)
    add_callback(line, "+358401234567", CallbackStatus.NEW)
    add_callback(line, "+358409999999", CallbackStatus.NEW)  # another caller is independent
    with line.db.sessionmaker() as session:
        rows = session.execute(
            select(CallbackRequest.caller, CallbackRequest.status).order_by(CallbackRequest.id)
        ).all()
    assert [tuple(row) for row in rows] == [("+358401234567", "closed")] * 3 + [
        ("+358401234567", "new"), ("+358409999999", "new")]


def test_closing_a_callback_lets_the_same_caller_open_a_new_one(line):
    add_callback(line, "+358401234567", CallbackStatus.ACKNOWLEDGED)
    with line.db.session() as session:
        session.scalars(select(CallbackRequest)).one().status = CallbackStatus.CLOSED
    add_callback(line, "+358401234567", CallbackStatus.NEW)
    with line.db.sessionmaker() as session:
        statuses = session.scalars(select(CallbackRequest.status).order_by(CallbackRequest.id)).all()
    assert statuses == ["closed", "new"]


def test_reopening_a_closed_callback_is_refused_while_the_caller_has_another_open(line):
    add_callback(line, "+358401234567", CallbackStatus.CLOSED)
    add_callback(line, "+358401234567", CallbackStatus.NEW)
    with pytest.raises(IntegrityError), line.db.session() as session:
        session.scalars(select(CallbackRequest).where(CallbackRequest.status == "closed")).one().status = "new"


# --- check constraints -------------------------------------------------------------------------

@pytest.mark.parametrize("length", [timedelta(hours=-1), timedelta(0)])
def test_a_shift_must_end_after_it_starts(line, make_staff, make_shift, length):
    aino = make_staff("Aino")
    with pytest.raises(IntegrityError):
        make_shift(aino, NOW, NOW + length)


@pytest.mark.parametrize("length", [timedelta(hours=-1), timedelta(0)])
def test_a_closure_must_end_after_it_starts(make_closure, length):
    with pytest.raises(IntegrityError):
        make_closure(NOW, NOW + length)


@pytest.mark.parametrize(("weekday", "opens", "closes"), [
    (7, 540, 900), (-1, 540, 900), (0, 900, 540), (0, 540, 540), (0, -1, 60), (0, 0, 1441),
])
def test_office_hours_outside_a_week_of_days_are_refused(line, weekday, opens, closes):
    with pytest.raises(IntegrityError), line.db.session() as session:
        session.add(OfficeHoursInterval(weekday=weekday, opens_minute=opens, closes_minute=closes))


def test_deleting_a_staff_member_deletes_their_shifts(line, make_staff, make_shift):
    aino = make_staff("Aino")
    make_shift(aino, NOW, NOW + timedelta(hours=8))
    with line.db.session() as session:
        session.execute(Staff.__table__.delete().where(Staff.id == aino.id))
    with line.db.sessionmaker() as session:
        assert session.scalars(select(Shift)).all() == []


def test_a_value_from_twilio_is_kept_without_nul_characters_and_cut_at_its_column_and_a_repeat_finds_it(line):
    from helpline.models import Call, InboundSms

    odd_sid = "CA\x00" + "7" * 100  # no Twilio sid looks like this, but one must not lose the call
    with line.db.session() as session:
        session.add(Call(call_sid=odd_sid, to_number="+358931234567" * 5, started_at=NOW, line_open=True,
                         last_status="in-progress\x00" * 3))
        session.add(InboundSms(message_sid="SM1", from_number="+35840", to_number="+35893", body="OK\x00 5",
                               received_at=NOW))
    with line.db.sessionmaker() as session:
        call = session.scalar(select(Call).where(Call.call_sid == odd_sid))
        sms = session.scalar(select(InboundSms))
    assert call.call_sid == "CA" + "7" * 62 and len(call.to_number) == 32
    assert call.last_status == ("in-progress" * 3)[:20]
    assert sms.body == "OK 5"
