"""Who gets a callback and when: night-time callbacks wait for the opening, reminders stop at
closing time, a shift change hands the callback over, one SMS names several due reminders."""
from __future__ import annotations

from sqlalchemy import select

from conftest import helsinki
from helpline.models import CallbackEvent
from jobs.conftest import MOBILE_CALLER

SWEDISH_CALLER = "+358407654321"


def test_a_callback_left_at_night_is_confirmed_at_once_but_assigned_only_when_the_line_opens(
        simulator, week_rota, run_worker, tick, clock, bodies, history, line):
    aino = week_rota.aino
    clock.set(helsinki("2027-01-11 20:00"))  # Monday evening, closed

    simulator.call(MOBILE_CALLER)
    run_worker()

    [confirmation] = bodies(MOBILE_CALLER)
    assert "huomenna klo 9.00 jälkeen" in confirmation
    for moment in ["2027-01-11 22:00", "2027-01-12 03:00", "2027-01-12 08:59"]:
        tick(helsinki(moment))
        assert bodies(aino.phone) == [], moment
    tick(helsinki("2027-01-12 09:00"))
    [assignment] = bodies(aino.phone)
    assert "#1" in assignment and "ma 11.1. klo 20.00" in assignment
    with line.db.sessionmaker() as session:
        assigned = session.scalar(select(CallbackEvent).where(CallbackEvent.kind == "assigned"))
    assert assigned.at == helsinki("2027-01-12 09:00") and assigned.staff_id == aino.id
    assert len(bodies(MOBILE_CALLER)) == 1


def test_an_open_callback_is_not_reminded_at_night_and_its_assignee_back_in_the_morning_keeps_it(
        simulator, week_rota, run_worker, tick, clock, bodies, history):
    aino = week_rota.aino
    clock.set(helsinki("2027-01-11 14:10"))
    simulator.call(MOBILE_CALLER)
    run_worker()
    tick(helsinki("2027-01-11 14:40"))
    assert len(bodies(aino.phone)) == 2  # the assignment and the first reminder

    for moment in ["2027-01-11 15:10", "2027-01-11 19:00", "2027-01-12 02:00", "2027-01-12 08:59"]:
        tick(helsinki(moment))
        assert len(bodies(aino.phone)) == 2, moment
    tick(helsinki("2027-01-12 09:00"))
    assert len(bodies(aino.phone)) == 3 and "Muistutus" in bodies(aino.phone)[-1]
    assert "handed_over" not in [kind for kind, _ in history(1)]


def test_when_the_assignees_shift_ends_the_callback_passes_to_someone_on_duty_and_both_are_told(
        simulator, office_hours, make_staff, make_shift, run_worker, tick, clock, bodies, history):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    bertil = make_staff("Bertil", "+358401110002")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-11 12:00"), helsinki("2027-01-11 15:00"), priority=1)
    simulator.call(MOBILE_CALLER)
    run_worker()
    assert len(bodies(aino.phone)) == 1

    tick(helsinki("2027-01-11 11:59"))
    tick(helsinki("2027-01-11 12:00"))

    assert "Bertil" in bodies(aino.phone)[-1] and "#1" in bodies(aino.phone)[-1]
    [handed] = bodies(bertil.phone)
    assert "Aino" in handed and "#1" in handed and MOBILE_CALLER in handed
    assert ("handed_over", bertil.id) in history(1)
    # Bertil's reminders count from the handover; Aino hears nothing more.
    told_aino = len(bodies(aino.phone))
    tick(helsinki("2027-01-11 12:29"))
    assert len(bodies(bertil.phone)) == 1
    tick(helsinki("2027-01-11 12:30"))
    assert len(bodies(bertil.phone)) == 2 and "Muistutus" in bodies(bertil.phone)[-1]
    assert len(bodies(aino.phone)) == told_aino


def test_with_no_supervisor_on_duty_the_escalation_is_recorded_as_heard_by_nobody(
        simulator, office_hours, make_staff, make_shift, run_worker, tick, bodies, history, fake_twilio):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    simulator.call(MOBILE_CALLER)
    run_worker()

    for moment in ["10:30", "11:00", "11:30", "12:00", "12:30"]:
        tick(helsinki(f"2027-01-11 {moment}"))

    kinds = [kind for kind, _ in history(1)]
    assert kinds.count("escalation_unheard") == 1 and "escalated" not in kinds
    assert kinds.count("reminded") == 5
    assert {message["to"] for message in fake_twilio.messages} == {aino.phone, MOBILE_CALLER}


def test_a_caller_who_chose_swedish_goes_to_the_swedish_speaker_and_each_staff_gets_the_fewest(
        simulator, office_hours, make_staff, make_shift, run_worker, bodies, callback_row):
    office_hours()
    aino = make_staff("Aino", "+358401110001", languages=("fi",))
    bertil = make_staff("Bertil", "+358401110002", languages=("sv", "fi"))
    for staff, priority in ((aino, 1), (bertil, 2)):
        make_shift(staff, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=priority)

    simulator.call(MOBILE_CALLER)  # Finnish: the first goes to Aino (both free, she rings first)
    run_worker()
    simulator.call("+358401234000")  # the next goes to Bertil, who has fewer open
    run_worker()
    simulator.call(SWEDISH_CALLER, press="2")  # Swedish: Bertil speaks it, even with one open
    run_worker()

    assert [callback_row(ref).assignee_id for ref in (1, 2, 3)] == [aino.id, bertil.id, bertil.id]
    assert "Återuppringning #3" in bodies(bertil.phone)[-1]
    assert "ringer upp dig" in bodies(SWEDISH_CALLER)[0]


def test_reminders_due_together_to_one_person_come_as_one_sms_naming_each_callback(
        simulator, office_hours, make_staff, make_shift, run_worker, tick, clock, bodies, history):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    simulator.call(MOBILE_CALLER)
    run_worker()
    clock.advance(minutes=5)
    simulator.call("+358401234000")
    run_worker()
    assert len(bodies(aino.phone)) == 2  # both assignments

    tick(helsinki("2027-01-11 10:30"))  # #1 is due, #2 five minutes later: one SMS for both

    assert len(bodies(aino.phone)) == 3
    bundled = bodies(aino.phone)[-1]
    assert "#1" in bundled and "#2" in bundled and "050 1234567" in bundled and "040 1234000" in bundled
    tick(helsinki("2027-01-11 10:35"))
    assert len(bodies(aino.phone)) == 3
    tick(helsinki("2027-01-11 11:00"))
    assert len(bodies(aino.phone)) == 4 and "#1" in bodies(aino.phone)[-1] and "#2" in bodies(aino.phone)[-1]
    assert [kind for kind, _ in history(2)].count("reminded") == 2
