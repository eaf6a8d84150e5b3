"""The loader against a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): the rows
it builds and the figures of two recorded days (see tests/metrics/conftest.py)."""
from __future__ import annotations

from helpline.metrics.compute import Period
from helpline.metrics.identity import CallerKeys
from helpline.metrics.load import load_rows, metrics_from_rows

from tests.metrics.conftest import CALLER_A, at


def test_the_loader_gives_plain_rows_without_numbers_and_marks_callbacks_taken(line, recorded_days, session):
    period = Period(recorded_days.period_start, recorded_days.period_end)
    rows, history = load_rows(session, line.settings, period)
    assert len(rows.calls) == 5
    # Callback 2 was escalated: its holder changes come one by one, to put the escalation on Bertil.
    assert [(event.callback_id, event.kind, event.staff_id) for event in history] == [
        (recorded_days.callbacks[1], "assigned", recorded_days.bertil)]
    keys = CallerKeys(line.settings.secret_key)
    by_time = {call.started_at: call for call in rows.calls}
    # A called twice: both calls carry the same key, which is the keyed hash, not the number.
    assert by_time[at("2027-01-11 08:30")].caller_key == by_time[at("2027-01-11 09:40")].caller_key == keys(CALLER_A)
    assert CALLER_A not in repr(rows)
    assert by_time[at("2027-01-11 10:05")].caller_key is None and by_time[at("2027-01-11 10:05")].withheld
    first, second = sorted(rows.callbacks, key=lambda row: row.id)
    assert (first.has_message, first.acknowledged_at, first.first_attempt_at) == (True, at("2027-01-11 09:30"), None)
    assert second.first_attempt_at == at("2027-01-12 10:15") and second.escalated_at == at("2027-01-12 10:00")
    # The common kinds come counted per week and person; plain OKs change nobody's load and
    # are left out; the escalation comes on its own.
    counted = sorted((event.kind, event.staff_id, event.count) for event in rows.events if event.kind != "escalated")
    assert counted == sorted([("assigned", recorded_days.aino, 1), ("closed", recorded_days.aino, 1),
                              ("assigned", recorded_days.bertil, 1), ("reminded", recorded_days.bertil, 1),
                              ("closed", recorded_days.bertil, 1)])
    assert [(event.callback_id, event.at) for event in rows.events if event.kind == "escalated"] == [
        (recorded_days.callbacks[1], at("2027-01-12 10:00"))]
    assert [attempt.conversation_seconds for attempt in rows.attempts] == [240]
    assert sorted((sms.status, sms.count) for sms in rows.sms) == [("delivered", 2), ("failed", 1), ("sent", 1)]
    assert {staff.name for staff in rows.staff} == {"Aino", "Bertil"}


def test_the_figures_of_two_recorded_days(line, recorded_days, session):
    period = Period(recorded_days.period_start, recorded_days.period_end)
    metrics = metrics_from_rows(session, line.settings, period, now=at("2027-01-13 12:00"))
    figures = metrics.period
    # 5 calls: 2 answered, 2 messages, 1 hang-up (withheld); A called twice.
    contacts = figures.contacts
    assert (contacts.calls, contacts.answered, contacts.voicemail, contacts.no_message, contacts.withheld) == (
        5, 2, 2, 1, 1)
    assert (contacts.distinct_callers, contacts.repeat_callers, contacts.callback_requests) == (3, 1, 2)
    # #1: 08:30 -> OK 09:30 = 3600 s; #2: Monday 16:00 -> CALL Tuesday 10:15 = 18 h 15 min = 65700 s.
    # Both within the same working day (Monday 15:00 and Tuesday 15:00).
    response = figures.response
    assert (response.median_seconds, response.p90_seconds) == ((3600 + 65700) / 2, 65700)
    assert (response.measured, response.within_target) == (2, 2)
    assert (figures.conversations.live.count, figures.conversations.callbacks.total_seconds) == (2, 240)
    # Handled: 2 live + resolved #1 + referred #2. Neither live call was wrapped up, so only the two
    # callbacks have a known ending: settled on first contact 1 (resolved #1) of 2.
    outcomes = figures.outcomes
    assert (outcomes.handled, outcomes.live_not_wrapped_up, outcomes.with_outcome) == (4, 2, 2)
    assert (outcomes.settled_first_contact, outcomes.referred, outcomes.share_settled) == (1, 1, 0.5)
    assert figures.topics.top == (("Grief", 1), ("money", 1))
    load = {row.name: row for row in figures.staff_load.staff}
    assert (load["Aino"].callbacks_given, load["Aino"].callbacks_closed, load["Aino"].live_answered) == (1, 1, 1)
    assert (load["Bertil"].reminders, load["Bertil"].escalations, load["Bertil"].call_backs) == (1, 1, 1)
    assert (figures.sms.sent, figures.sms.failed) == (3, 1)
    assert [week.label for week in metrics.weeks] == ["2027-W02"]


def test_an_escalation_is_put_on_whoever_held_the_callback_before_the_period(line, recorded_days, session):
    # Only Tuesday 10:00-11:00: the assignment (09:00) lies before the period.
    period = Period(at("2027-01-12 10:00"), at("2027-01-12 11:00"))
    rows, history = load_rows(session, line.settings, period)
    assert [(event.kind, event.staff_id) for event in history] == [("assigned", recorded_days.bertil)]
    metrics = metrics_from_rows(session, line.settings, period, now=at("2027-01-13 12:00"))
    assert [(row.name, row.escalations) for row in metrics.period.staff_load.staff] == [("Bertil", 1)]


def test_an_ok_on_a_callback_nobody_held_counts_as_taking_it(line, recorded_days, session):
    from helpline.models import CallbackEvent

    session.add(CallbackEvent(callback_id=recorded_days.callbacks[0], at=at("2027-01-11 11:00"), kind="acknowledged",
                              staff_id=recorded_days.bertil, detail={"via": "sms", "taken": True}))
    session.commit()
    rows, _ = load_rows(session, line.settings, Period(at("2027-01-11 10:30"), at("2027-01-11 12:00")))
    assert [(event.kind, event.staff_id, event.count) for event in rows.events] == [
        ("taken", recorded_days.bertil, 1)]


def test_counted_history_and_sms_land_in_their_local_week(line, recorded_days, session):
    # Two weeks: 2027-W01 (from Monday 4.1.) and 2027-W02 (from Monday 11.1. 00:00 local).
    rows, _ = load_rows(session, line.settings, Period(at("2027-01-04 00:00"), at("2027-01-13 00:00")))
    assert {event.at for event in rows.events if event.kind != "escalated"} == {at("2027-01-11 00:00")}
    assert {sms.created_at for sms in rows.sms} == {at("2027-01-11 00:00")}
    # One more SMS, on Sunday 10.1. at 23:59 local, belongs to the first week.
    from helpline.models import OutboundSms

    session.add(OutboundSms(to_number="+358401110001", body="x", purpose="reminder", status="sent",
                            dedupe_key="late-sunday", created_at=at("2027-01-10 23:59")))
    session.commit()
    rows, _ = load_rows(session, line.settings, Period(at("2027-01-04 00:00"), at("2027-01-13 00:00")))
    assert sorted((sms.created_at, sms.status, sms.count) for sms in rows.sms)[0] == (at("2027-01-04 00:00"), "sent", 1)
