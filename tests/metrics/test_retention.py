"""Retention: 90 days after closing, recordings go from Twilio and numbers from the database,
and the figures stay the same. Twilio is the fake one, over HTTP."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text

from helpline.devtools.fake_twilio import FakeTwilio
from helpline.metrics.compute import Period
from helpline.metrics.period import metrics_for
from helpline.models import Call, CallbackCall, CallbackRequest, InboundSms, OutboundSms, SmsOptOut, VoiceMessage
from helpline.queue.retention import MASKED, purge_expired
from helpline.services import build_services

from tests.conftest import ACCOUNT_SID, AUTH_TOKEN
from tests.metrics.conftest import CALLER_A, CALLER_B, CALLER_D, at


@pytest.fixture
def twilio():
    with FakeTwilio(ACCOUNT_SID, AUTH_TOKEN, strict_recordings=True) as fake:
        yield fake


@pytest.fixture
def retained(line, twilio, recorded_days, clock):
    """The line pointed at the fake Twilio, which holds the two days' recordings."""
    for sid in recorded_days.recordings:
        twilio.add_recording(sid)
    services = build_services(line.settings.with_overrides(twilio_api_base_url=twilio.base_url), clock=clock)
    yield services
    services.db.dispose()


def _figures(services, days):
    with services.db.session() as session:
        return metrics_for(session, services.settings, Period(days.period_start, days.period_end),
                           now=at("2027-01-13 12:00"))


def _everything_stored(services) -> str:
    """Every value of every table, as text: where a number could hide."""
    from helpline.models import Base

    with services.db.engine.connect() as connection:
        return "\n".join(repr(row) for table in Base.metadata.sorted_tables
                         for row in connection.execute(text(f'SELECT * FROM "{table.name}"')))


def test_after_ninety_days_the_recordings_are_deleted_at_twilio_and_the_numbers_masked(retained, twilio,
                                                                                       recorded_days):
    before = _figures(retained, recorded_days)
    stored = _everything_stored(retained)
    assert CALLER_A in stored and "040 100 0001" in stored
    # Callback 2 closed on Tuesday 2027-01-12 at 10:30; 90 days later is 12 April.
    report = purge_expired(retained, at("2027-04-13 09:00"))
    assert (report.recordings_deleted, report.callbacks_masked, report.calls_masked) == (2, 2, 5 - 1)
    assert all(twilio.recording_deleted(sid) for sid in recorded_days.recordings)
    stored = _everything_stored(retained)
    for number in (CALLER_A, CALLER_B, CALLER_D):
        assert number not in stored and number[4:] not in stored
    assert "040 100 0001" not in stored and "(number removed)" in stored
    with retained.db.session() as session:
        assert set(session.scalars(select(CallbackRequest.caller))) == {MASKED}
        assert set(session.scalars(select(CallbackCall.caller))) == {MASKED}
        assert all(session.scalars(select(VoiceMessage.deleted_at)))
        calls = session.execute(select(Call.caller, Call.caller_hash, Call.caller_withheld)).all()
        assert {caller for caller, _, _ in calls} == {None}
        # Four calls had a number and keep its hash; the withheld one had neither.
        assert sorted(hashed is None for _, hashed, _ in calls) == [False, False, False, False, True]
        assert session.scalar(select(OutboundSms.to_number).where(OutboundSms.dedupe_key == "c1")) == MASKED
    # The figures are the same, repeat callers included.
    assert _figures(retained, recorded_days) == before


def test_a_run_before_the_period_is_over_leaves_everything_and_a_second_run_finds_nothing_new(
        retained, twilio, recorded_days):
    # 11 April 12:00: callback 1 (closed 11 January 10:00) is due; callback 2 (12 January) not yet.
    report = purge_expired(retained, at("2027-04-11 12:00"))
    assert (report.recordings_deleted, report.callbacks_masked) == (1, 1)
    assert twilio.recording_deleted(recorded_days.recordings[0])
    assert not twilio.recording_deleted(recorded_days.recordings[1])
    with retained.db.session() as session:
        assert session.get(CallbackRequest, recorded_days.callbacks[1]).caller == CALLER_D
        # B's live call at 09:10 on 11 January is over 90 days old: masked; D's call belongs to
        # callback 2, which is kept.
        assert set(session.scalars(select(Call.caller))) == {None, CALLER_D}
    again = purge_expired(retained, at("2027-04-11 12:00"))
    assert (again.recordings_deleted, again.callbacks_masked, again.calls_masked) == (0, 0, 0)


def test_a_recording_twilio_cannot_delete_is_tried_again_while_the_number_is_masked_anyway(
        line, retained, twilio, recorded_days, clock):
    unreachable = build_services(replace(line.settings, twilio_api_base_url="http://127.0.0.1:1"), clock=clock)
    report = purge_expired(unreachable, at("2027-04-13 09:00"))
    unreachable.db.dispose()
    assert (report.recordings_failed, report.recordings_deleted, report.callbacks_masked) == (2, 0, 2)
    assert not twilio.recording_deleted(recorded_days.recordings[0])
    report = purge_expired(retained, at("2027-04-13 09:00"))
    assert report.recordings_deleted == 2 and report.callbacks_masked == 0
    assert all(twilio.recording_deleted(sid) for sid in recorded_days.recordings)


def test_a_recording_already_gone_at_twilio_counts_as_deleted(retained, twilio, recorded_days):
    with retained.db.session() as session:
        session.add(VoiceMessage(callback_id=recorded_days.callbacks[0], recording_sid="RE" + "c" * 32,
                                 recording_url="https://api/x", created_at=at("2027-01-11 08:40")))
    report = purge_expired(retained, at("2027-04-13 09:00"))
    assert (report.recordings_deleted, report.recordings_already_gone) == (2, 1)


def test_a_caller_s_stop_and_an_open_callback_outlive_the_retention_period(retained, recorded_days):
    with retained.db.session() as session:
        session.add(SmsOptOut(number=CALLER_A, opted_out_at=at("2027-01-11 12:00"), source="stop-reply"))
        session.add(InboundSms(message_sid="SM" + "1" * 32, from_number=CALLER_A, to_number="+358931234567",
                               body="STOP", received_at=at("2027-01-11 12:00")))
        session.add(CallbackRequest(caller="+358401000009", status="assigned", created_at=at("2027-01-02 10:00"),
                                    last_call_at=at("2027-01-02 10:00")))
    purge_expired(retained, at("2027-04-13 09:00"))
    with retained.db.session() as session:
        assert session.scalar(select(SmsOptOut.number)) == CALLER_A
        assert session.scalar(select(InboundSms.from_number)) == MASKED
        assert session.scalar(select(CallbackRequest.caller).where(CallbackRequest.status == "assigned")) == \
            "+358401000009"
