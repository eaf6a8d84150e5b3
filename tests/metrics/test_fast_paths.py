"""The shortcuts that make a year's figures fast give the same answers as the plain way: raw
instants read by the loader, per-week counting in SQL, response tallies added up over weeks,
and collection paused while a period is computed."""
from __future__ import annotations

import gc
from datetime import timezone

from sqlalchemy import select, text

from helpline.metrics.compute import Period, compute
from helpline.metrics.load import load_attempts, load_callbacks, load_calls, load_rows, metrics_from_rows
from helpline.metrics.identity import CallerKeys
from helpline.metrics.response import Deadlines, ResponseTarget, response_times
from helpline.metrics.rows import MetricRows
from helpline.models import Call, CallbackCall, CallbackRequest

from tests.metrics.conftest import at, callback


def test_a_supervisor_sees_the_same_instants_as_the_models_store_whatever_the_sessions_time_zone(
        line, recorded_days, session):
    if session.get_bind().dialect.name == "postgresql":
        # A session in another zone: psycopg would hand back Helsinki datetimes.
        session.execute(text("SET TIME ZONE 'Europe/Helsinki'"))
    period = Period(recorded_days.period_start, recorded_days.period_end)
    keys = CallerKeys(line.settings.secret_key)
    calls = load_calls(session, period, keys)
    callbacks = load_callbacks(session, period)
    attempts = load_attempts(session, period)
    session.rollback()
    stored_calls = session.scalars(select(Call.started_at).order_by(Call.started_at)).all()
    assert [row.started_at for row in calls] == stored_calls
    stored = {row.id: row for row in session.execute(
        select(CallbackRequest.id, CallbackRequest.created_at, CallbackRequest.acknowledged_at,
               CallbackRequest.closed_at, CallbackRequest.escalated_at))}
    assert {row.id: (row.id, row.created_at, row.acknowledged_at, row.closed_at, row.escalated_at)
            for row in callbacks} == {key: tuple(value) for key, value in stored.items()}
    assert [row.requested_at for row in attempts] == session.scalars(select(CallbackCall.requested_at)).all()
    instants = [row.started_at for row in calls] + [row.requested_at for row in attempts] + [
        moment for row in callbacks for moment in (row.created_at, row.acknowledged_at, row.closed_at,
                                                   row.first_attempt_at, row.escalated_at) if moment is not None]
    assert instants and all(moment.tzinfo is timezone.utc for moment in instants)


def test_the_figures_of_recorded_days_equal_the_pure_functions_on_the_rows_the_loader_gives(
        line, recorded_days, session):
    # The SQL paths (raw instants, per-week counts) against compute() of the same rows, with
    # collection back as it was afterwards.
    period = Period(at("2027-01-04 00:00"), at("2027-01-20 00:00"))  # three local weeks, two empty
    now = at("2027-01-13 12:00")
    rows, history = load_rows(session, line.settings, period)
    from helpline.metrics.load import load_calendar_for

    expected = compute(rows, period, calendar=load_calendar_for(session, line.settings, period), now=now,
                       target=ResponseTarget(line.settings.callback_target_hours), history=history)
    assert gc.isenabled()
    assert metrics_from_rows(session, line.settings, period, now) == expected
    assert gc.isenabled()
    gc.disable()
    try:
        metrics_from_rows(session, line.settings, period, now)
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    assert expected.period.contacts.calls == 5 and expected.period.response.requests == 2
    assert [week.figures.contacts.calls for week in expected.weeks] == [0, 5, 0]


def test_the_periods_response_times_are_those_of_all_its_requests_not_an_average_of_weeks(calendar):
    # Week 1: one fast answer; week 2: two slow ones and one never answered, past its deadline.
    created = (callback("2027-01-05 10:00", ack="2027-01-05 10:10"),
               callback("2027-01-11 10:00", ack="2027-01-12 10:00"),
               callback("2027-01-12 10:00", attempt="2027-01-12 16:00"),
               callback("2027-01-13 10:00"))
    period = Period(at("2027-01-04 00:00"), at("2027-01-18 00:00"))
    now = at("2027-01-20 12:00")
    metrics = compute(MetricRows(callbacks=created), period, calendar=calendar, now=now)
    whole = response_times(created, Deadlines(calendar, ResponseTarget()), now)
    assert metrics.period.response == whole
    assert (whole.requests, whole.responded, whole.measured, whole.within_target) == (4, 3, 4, 1)
    assert (whole.median_seconds, whole.p90_seconds) == (6 * 3600, 24 * 3600)
    assert [week.figures.response.requests for week in metrics.weeks] == [1, 3]
