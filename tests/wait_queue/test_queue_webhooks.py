"""The queue's webhooks are Twilio's alone (403 without a valid signature, nothing changed), and
a webhook Twilio repeats changes nothing more."""
from __future__ import annotations

import pytest

from helpline.routes import PUBLIC_PATHS

QUEUE_PATHS = sorted(path for endpoint, path in PUBLIC_PATHS.items() if endpoint.startswith("voice_queue."))


@pytest.mark.parametrize("path", QUEUE_PATHS)
def test_a_forged_or_unsigned_queue_webhook_is_refused(simulator, path, counts_rows):
    before = counts_rows()
    form = {"CallSid": "CA" + "9" * 32, "From": "+358501000009", "QueueResult": "leave", "Digits": "1"}
    assert simulator.send_raw(path, form, signature=None).status_code == 403
    assert simulator.send_raw(path, form, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert counts_rows() == before


def test_the_enqueue_action_delivered_twice_takes_one_message_and_keeps_the_first_wait(
        simulator, while_everyone_talks, rows, settings):
    waiting = []
    while_everyone_talks(lambda: waiting.append(simulator.call("+358501000003", in_queue="press-1", queue_rounds=1)))
    [caller] = waiting
    stored = rows.call(caller.call_sid)

    again = simulator.deliver("/voice/queue/result", {"CallSid": caller.call_sid, "From": "+358501000003",
                                                      "To": settings.twilio_phone_number, "CallStatus": "completed",
                                                      "QueueResult": "leave", "QueueTime": "999"})

    assert again.status_code == 200
    replayed = rows.call(caller.call_sid)
    assert (replayed.queue_seconds, replayed.queue_result, replayed.queue_left_at) == (
        stored.queue_seconds, "left", stored.queue_left_at)
    [callback] = rows.callbacks()
    assert callback.queue_wait_seconds == stored.queue_seconds


def test_a_staff_member_who_answers_an_offer_after_the_caller_left_hears_so(
        simulator, staffed_line, accepting, fake_twilio, run_worker, rows):
    aino, bertil = staffed_line
    heard = []

    def while_aino_talks():
        simulator.call("+358501000002", staff=accepting, during_conversation=lambda: simulator.call(
            "+358501000003", park=True))
        run_worker()
        [offer] = fake_twilio.placed_calls(to=bertil.phone)
        [parked] = [waiting.result for queue in simulator.queues.values() for waiting in queue]
        simulator.hang_up(parked)  # while Bertil's phone rings
        heard.extend(simulator.answer(offer).heard)

    simulator.call("+358501000001", staff=accepting, during_conversation=while_aino_talks)

    assert heard == ["Jonossa ei ole enää ketään. Kiitos, näkemiin."]
    assert rows.busy() == []
