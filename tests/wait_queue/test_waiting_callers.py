"""With everyone on duty busy, a caller waits in the queue, hears their place, and is put
through to the first person who becomes free, the longest-waiting caller first; pressing 1 or
waiting too long leaves a message instead, with the time waited on the callback request."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpline.devtools.call_client import StaffPhone
from helpline.models import CallOutcome
from helpline.queue.sweep import run_sweep

FIRST_IN_LINE = "Olet jonossa ensimmäisenä."
SECOND_IN_LINE = "Olet jonossa toisena."


def test_a_caller_waits_hears_their_place_and_the_first_person_free_takes_the_longest_waiting(
        simulator, staffed_line, accepting, fake_twilio, run_worker, rows):
    aino, bertil = staffed_line
    waiting: dict[str, object] = {}

    def while_bertil_talks():
        waiting["carl"] = simulator.call("+358501000003", park=True)
        waiting["dora"] = simulator.call("+358501000004", park=True)

    def while_aino_talks():
        simulator.call("+358501000002", staff=accepting, during_conversation=while_bertil_talks)
        # Bertil's conversation is over: he is the first to be free, and is rung for the queue.
        run_worker()
        [offer] = fake_twilio.placed_calls(to=bertil.phone)
        assert fake_twilio.placed_calls(to=aino.phone) == []
        assert offer["request"]["From"] == simulator.line_number
        answered = simulator.answer(offer)
        waiting["bertil_heard"] = answered.heard
        waiting["bertil_took"] = answered.bridged_to
        simulator.wait_more(waiting["dora"])  # Dora is now first in line

    first = simulator.call("+358501000001", staff=accepting, during_conversation=while_aino_talks)
    carl, dora = waiting["carl"], waiting["dora"]

    assert first.answered_by == aino.phone
    assert carl.queued and carl.rang == [] and carl.queue_positions == [1]
    assert f"{FIRST_IN_LINE} Jos haluat mieluummin jättää viestin ja saada takaisinsoiton, paina 1." in carl.heard
    assert dora.queue_positions == [2, 1]
    assert SECOND_IN_LINE in dora.heard_text() and dora.heard[-1].startswith(FIRST_IN_LINE)
    assert waiting["bertil_took"] is carl and carl.answered_by == bertil.phone
    assert waiting["bertil_heard"] == [
        "Auttavan puhelimen jonossa odottaa soittaja. Paina 1 ottaaksesi puhelun vastaan."]
    assert "Yhdistämme sinut nyt päivystäjälle." in carl.heard and not carl.parked
    stored = rows.call(carl.call_sid)
    assert (stored.outcome, stored.answered_by_id, stored.queue_result) == (CallOutcome.ANSWERED, bertil.id, "bridged")
    assert stored.queue_seconds == carl.queue_seconds

    # Aino's conversation has ended too: she is rung, and takes Dora.
    assert dora.parked
    run_worker()
    [offer] = fake_twilio.placed_calls(to=aino.phone)
    assert simulator.answer(offer).bridged_to is dora
    assert dora.answered_by == aino.phone and not dora.parked
    assert rows.call(dora.call_sid).answered_by_id == aino.id
    assert rows.callbacks() == [] and rows.busy() == []


def test_a_waiting_caller_who_presses_1_leaves_a_message_that_records_how_long_they_waited(
        simulator, while_everyone_talks, rows):
    waited = []
    while_everyone_talks(lambda: waited.append(simulator.call("+358501000003", in_queue="press-1", queue_rounds=2)))

    [caller] = waited
    assert caller.queue_positions == [1, 1] and caller.queue_result == "leave"
    assert caller.recorded and caller.answered_by is None
    [callback] = rows.callbacks()
    assert callback.caller == "+358501000003" and callback.queue_wait_seconds == caller.queue_seconds > 0
    assert rows.call(caller.call_sid).queue_result == "left"


def test_a_caller_who_waits_past_the_longest_wait_is_asked_for_a_message(
        simulator, while_everyone_talks, rows, line):
    line.settings = line.settings.with_overrides(queue_max_wait_seconds=60)
    waited = []
    while_everyone_talks(lambda: waited.append(simulator.call("+358501000003")))

    [caller] = waited
    assert caller.queue_seconds >= 60 and len(caller.queue_positions) >= 2
    assert caller.recorded
    assert "Valitettavasti kukaan ei juuri nyt ehtinyt vastata." in caller.heard_text()
    [callback] = rows.callbacks()
    assert callback.queue_wait_seconds >= 60
    assert rows.call(caller.call_sid).queue_result == "timed_out"


def test_a_caller_who_hangs_up_while_waiting_still_gets_a_callback_request(simulator, while_everyone_talks, rows):
    waited = []
    while_everyone_talks(lambda: waited.append(simulator.call("+358501000003", in_queue="hang-up", queue_rounds=1)))

    [caller] = waited
    assert not caller.recorded
    [callback] = rows.callbacks()
    assert callback.caller == "+358501000003" and not callback.has_message
    assert callback.queue_wait_seconds is not None
    assert rows.call(caller.call_sid).queue_result == "hangup"


def test_with_the_queue_turned_off_a_caller_who_finds_everyone_busy_leaves_a_message(
        simulator, while_everyone_talks, rows, line):
    line.settings = line.settings.with_overrides(queue_max_wait_seconds=0)
    waited = []
    while_everyone_talks(lambda: waited.append(simulator.call("+358501000003")))

    [caller] = waited
    assert not caller.queued and caller.rang == [] and caller.recorded
    [callback] = rows.callbacks()
    assert callback.queue_wait_seconds is None


@pytest.mark.parametrize("behaviour", ["voicemail", "no-answer"])
def test_a_staff_phone_that_lets_the_offer_go_is_not_rung_again_at_once(
        behaviour, simulator, staffed_line, accepting, fake_twilio, run_worker, rows):
    aino, bertil = staffed_line
    waiting = []

    def while_aino_talks():
        simulator.call("+358501000002", staff=accepting,
                       during_conversation=lambda: waiting.append(simulator.call("+358501000003", park=True)))
        run_worker()
        [offer] = fake_twilio.placed_calls(to=bertil.phone)
        assert simulator.answer(offer, behaviour=behaviour).bridged_to is None
        run_worker()

    simulator.call("+358501000001", staff=accepting, during_conversation=while_aino_talks)

    assert len(fake_twilio.placed_calls(to=bertil.phone)) == 1
    [caller] = waiting
    assert caller.parked  # still waiting: Aino, now free, is rung next
    run_worker()
    [offer] = fake_twilio.placed_calls(to=aino.phone)
    assert simulator.answer(offer).bridged_to is caller


def test_a_new_caller_never_goes_ahead_of_those_waiting_even_to_someone_just_freed(
        simulator, staffed_line, accepting, fake_twilio, run_worker, rows):
    aino, bertil = staffed_line
    waiting: dict[str, object] = {}

    def while_aino_talks():
        simulator.call("+358501000002", staff=accepting, during_conversation=lambda: waiting.setdefault(
            "carl", simulator.call("+358501000003", park=True)))
        # Bertil is free now, but Carl waits: Dora, calling just then, queues behind him.
        waiting["dora"] = simulator.call("+358501000004", staff=accepting, park=True)
        run_worker()
        [offer] = fake_twilio.placed_calls(to=bertil.phone)
        waiting["bertil_took"] = simulator.answer(offer).bridged_to

    simulator.call("+358501000001", staff=accepting, during_conversation=while_aino_talks)

    carl, dora = waiting["carl"], waiting["dora"]
    assert dora.rang == [] and dora.queue_positions == [2]
    assert waiting["bertil_took"] is carl and carl.answered_by == bertil.phone
    assert dora.parked


def test_when_a_shift_starts_while_a_caller_waits_the_sweep_has_the_new_person_rung(
        simulator, office_hours, make_staff, make_shift, clock, fake_twilio, worker_line, run_worker):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    bertil = make_staff("Bertil", "+358401110002")
    now = clock.now()
    make_shift(aino, now - timedelta(hours=1), now + timedelta(hours=5), priority=1)
    make_shift(bertil, now + timedelta(minutes=5), now + timedelta(hours=5), priority=2)
    waiting = {}

    def while_aino_talks():
        waiting["carl"] = simulator.call("+358501000003", park=True)
        run_worker()
        assert fake_twilio.placed_calls() == []  # nobody is free yet
        clock.advance(minutes=5)  # Bertil's shift starts: nobody was freed, the sweep notices
        run_sweep(worker_line)
        run_worker()
        [offer] = fake_twilio.placed_calls(to=bertil.phone)
        waiting["taken"] = simulator.answer(offer).bridged_to

    simulator.call("+358501000001", staff={aino.phone: StaffPhone(aino.phone, "accept")},
                   during_conversation=while_aino_talks)

    assert waiting["taken"] is waiting["carl"] and waiting["carl"].answered_by == bertil.phone


def test_a_caller_whose_end_twilio_never_reported_holds_back_nobody_once_past_the_longest_wait(
        simulator, staffed_line, accepting, line, clock, rows):
    from datetime import timedelta

    from helpline.models import Call

    aino, _bertil = staffed_line
    queued_long_ago = clock.now() - timedelta(seconds=line.settings.queue_max_wait_seconds, minutes=3)
    with line.db.session() as session:  # queued, and its status callback lost: its row says it waits
        session.add(Call(call_sid="CA" + "9" * 32, caller="+358501000009", started_at=queued_long_ago,
                         line_open=True, language="fi", queued_at=queued_long_ago))

    caller = simulator.call("+358501000001", staff=accepting)

    assert caller.rang == [aino.phone] and caller.answered_by == aino.phone and not caller.queued
