"""The caller's one SMS, and what happens after PASS: another person on duty gets the callback."""
from __future__ import annotations

import pytest

from conftest import helsinki
from helpline.sms.outbox import mark_opted_out
from jobs.conftest import MOBILE_CALLER

LANDLINE_CALLER = "+35891234567"  # Helsinki fixed line: cannot take an SMS


def test_a_caller_from_a_landline_gets_no_sms_but_the_staff_member_still_gets_the_callback(
        simulator, week_rota, run_worker, tick, bodies, history, fake_twilio):
    simulator.call(LANDLINE_CALLER)
    run_worker()
    tick()

    assert bodies(LANDLINE_CALLER) == []
    assert "09 1234567" in bodies(week_rota.aino.phone)[0]
    assert [kind for kind, _ in history(1)].count("caller_not_texted") == 1


def test_a_caller_who_said_stop_is_not_texted_again_even_when_calling_again(
        simulator, week_rota, run_worker, tick, bodies, history, line, clock):
    with line.db.session() as session:
        mark_opted_out(session, MOBILE_CALLER, clock.now(), source="stop-sms")

    simulator.call(MOBILE_CALLER)
    run_worker()
    clock.advance(minutes=5)
    simulator.call(MOBILE_CALLER)  # joins the open request
    run_worker()

    assert bodies(MOBILE_CALLER) == []
    assert [kind for kind, _ in history(1)].count("caller_not_texted") == 1
    assert len(bodies(week_rota.aino.phone)) == 1


def test_a_repeat_caller_gets_one_confirmation_and_the_callback_is_assigned_once(
        simulator, week_rota, run_worker, clock, bodies, history):
    simulator.call(MOBILE_CALLER)
    run_worker()
    clock.advance(minutes=3)
    simulator.call(MOBILE_CALLER)
    run_worker()

    assert len(bodies(MOBILE_CALLER)) == 1 and len(bodies(week_rota.aino.phone)) == 1
    assert [kind for kind, _ in history(1)].count("assigned") == 1


@pytest.mark.parametrize("word", ["OHITA 1", "PASS"])
def test_after_pass_the_callback_goes_to_someone_else_on_duty_who_is_told_who_had_it(
        word, simulator, week_rota, run_worker, tick, clock, bodies, history, staff_texts, callback_row):
    aino, sirpa = week_rota.aino, week_rota.sirpa
    simulator.call(MOBILE_CALLER)
    run_worker()
    assert callback_row(1).assignee_id == aino.id

    clock.set(helsinki("2027-01-11 10:10"))
    staff_texts(aino, word)
    run_worker()

    assert callback_row(1).assignee_id == sirpa.id
    [given] = bodies(sirpa.phone)
    assert "#1" in given and "Aino" in given
    assert ("passed", aino.id) in history(1) and ("assigned", sirpa.id) in history(1)
    # Sirpa's reminders count from her assignment; Aino is not reminded of it any more.
    told_aino = len(bodies(aino.phone))
    tick(helsinki("2027-01-11 10:40"))
    assert len(bodies(sirpa.phone)) == 2 and len(bodies(aino.phone)) == told_aino
    assert len(bodies(MOBILE_CALLER)) == 1


def test_after_pass_with_nobody_else_on_duty_the_callback_waits_for_the_next_person(
        simulator, office_hours, make_staff, make_shift, run_worker, tick, clock, bodies, staff_texts, callback_row):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    bertil = make_staff("Bertil", "+358401110002")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    make_shift(bertil, helsinki("2027-01-11 13:00"), helsinki("2027-01-11 15:00"))
    simulator.call(MOBILE_CALLER)
    run_worker()

    staff_texts(aino, "PASS 1")
    run_worker()
    for moment in ["10:30", "11:00", "12:59"]:
        tick(helsinki(f"2027-01-11 {moment}"))
        assert callback_row(1).assignee_id is None, moment
    tick(helsinki("2027-01-11 13:00"))

    assert callback_row(1).assignee_id == bertil.id
    assert len(bodies(bertil.phone)) == 1


def test_a_staff_member_who_blocked_the_lines_sms_is_given_callbacks_only_when_nobody_else_is_on_duty(
        simulator, office_hours, make_staff, make_shift, run_worker, clock, line, bodies, callback_row):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    bertil = make_staff("Bertil", "+358401110002")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=2)
    with line.db.session() as session:
        mark_opted_out(session, aino.phone, clock.now(), source="stop-sms")

    simulator.call(MOBILE_CALLER)
    run_worker()
    simulator.call("+358401234000")
    run_worker()
    assert [callback_row(1).assignee_id, callback_row(2).assignee_id] == [bertil.id, bertil.id]

    clock.set(helsinki("2027-01-11 13:00"))  # Bertil has gone home: Aino is all there is
    simulator.call("+358401234111")
    run_worker()
    assert callback_row(3).assignee_id == aino.id
    assert bodies(aino.phone) == []  # her SMS are suppressed, never sent
