"""Busy staff are never rung: two callers at once ring two different people, and a busy state
that Twilio never closed is checked at Twilio before the person is freed."""
from __future__ import annotations

import threading
from helpline.inbound import CallParams, in_transaction
from helpline.inbound import hunt
from helpline.models import CallbackCall, CallbackRequest, DialAttempt
from helpline.queue.sweep import run_sweep


def test_two_callers_at_once_with_two_free_staff_ring_two_different_people(simulator, staffed_line, accepting, rows):
    aino, bertil = staffed_line
    second = []

    first = simulator.call("+358501000001", staff=accepting,
                           during_conversation=lambda: second.append(simulator.call("+358501000002", staff=accepting)))

    assert first.rang == [aino.phone] and first.answered_by == aino.phone
    [other] = second
    assert other.rang == [bertil.phone] and other.answered_by == bertil.phone
    assert rows.busy() == []  # both conversations over: both free again


def test_a_staff_member_being_rung_for_one_caller_is_not_rung_for_another(simulator, staffed_line, ring_only, rows):
    aino, bertil = staffed_line
    # The first caller's call rings Aino; nothing more has happened yet.
    assert aino.phone in ring_only("CA" + "1" * 32, "+358501000001")

    second = simulator.call("+358501000002", staff={})

    assert second.rang == [bertil.phone]
    assert [busy.staff_id for busy in rows.busy()] == [aino.id]


def test_a_busy_state_twilio_never_closed_is_freed_once_twilio_says_the_call_is_over(
        ring_only, staffed_line, settings, rows, clock, fake_twilio, worker_line, run_worker):
    ringing, lost = "CA" + "2" * 32, "CA" + "3" * 32
    for sid in (ringing, lost):
        ring_only(sid, "+35850100000" + sid[-1])
    fake_twilio.add_inbound_call(ringing, from_="+358501000002", to=settings.twilio_phone_number, status="in-progress")
    fake_twilio.add_inbound_call(lost, from_="+358501000003", to=settings.twilio_phone_number, status="completed")
    assert len(rows.busy()) == 2

    clock.advance(minutes=6)
    run_sweep(worker_line)
    run_worker()

    [still] = rows.busy()
    assert still.twilio_call_sid == ringing and still.checked_at is not None
    assert any(request.path.endswith(f"/Calls/{lost}.json") for request in fake_twilio.requests)


def test_racing_hunts_never_ring_one_person_twice_at_once(line, staffed_line):
    aino, bertil = staffed_line
    callers = 6
    barrier = threading.Barrier(callers)
    steps, errors = [], []

    def one_caller(n: int) -> None:
        params = CallParams(call_sid=f"CA{n:032d}", from_value=f"+3585010000{n:02d}", to="+358931234567",
                            status="ringing")
        try:
            barrier.wait(timeout=10)
            steps.append(in_transaction(line, lambda ctx: hunt.choose_language(ctx, params, None)))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=one_caller, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rung = [step.phone for step in steps if isinstance(step, hunt.DialStep)]
    assert sorted(rung) == sorted([aino.phone, bertil.phone])
    assert sum(isinstance(step, hunt.QueueStep) for step in steps) == callers - 2
    with line.db.sessionmaker() as session:
        assert session.query(DialAttempt).count() == 2


def test_a_staff_member_on_a_call_back_is_not_rung_for_a_caller(simulator, staffed_line, line, clock, rows):
    aino, bertil = staffed_line
    with line.db.session() as session:
        callback = CallbackRequest(caller="+358501000009", status="acknowledged", created_at=clock.now(),
                                   last_call_at=clock.now(), assignee_id=aino.id)
        session.add(callback)
        session.flush()
        session.add(CallbackCall(callback_id=callback.id, attempt_number=1, staff_id=aino.id, staff_phone=aino.phone,
                                 caller=callback.caller, requested_at=clock.now(), status="dialling_caller"))

    result = simulator.call("+358501000001", staff={})

    assert result.rang == [bertil.phone]
