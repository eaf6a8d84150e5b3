"""Twilio may deliver any webhook twice: the repeat answers the same TwiML and changes nothing more."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from helpline.devtools.call_client import FlaskTransport, TransportResponse, TwilioCallSimulator
from helpline.models import CallOutcome

CALLER = "+358501234567"


@dataclass
class TwiceDelivered:
    """A transport that sends every request twice and remembers where the answers differed."""

    inner: FlaskTransport
    paths: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)

    def post(self, path, data, headers) -> TransportResponse:
        first = self.inner.post(path, data, headers)
        again = self.inner.post(path, data, headers)
        self.paths.append(path.split("?")[0])
        if (again.status_code, again.text) != (first.status_code, first.text):
            self.differences.append((path, first.text, again.text))
        return first


@pytest.fixture
def twice(client, simulator):
    transport = TwiceDelivered(FlaskTransport(client))
    duplicating = TwilioCallSimulator(transport, auth_token=simulator.auth_token,
                                      public_base_url=simulator.public_base_url,
                                      account_sid=simulator.account_sid, line_number=simulator.line_number,
                                      validate_twiml=simulator.validate_twiml)
    return transport, duplicating


def test_every_webhook_of_an_answered_call_delivered_twice_changes_nothing_more(
        twice, staffed_line, staff_phones, stored, counts, queued_jobs):
    transport, simulator = twice
    aino, bertil = staffed_line

    # Swedish: Bertil (who speaks it) rings first and does not answer; Aino takes it.
    result = simulator.call(CALLER, press="2", staff=staff_phones((bertil, "no-answer"), (aino, "accept")))

    assert set(transport.paths) == {"/voice/incoming", "/voice/language", "/voice/dial-result", "/voice/screen",
                                    "/voice/screen-choice", "/voice/status"}
    assert transport.differences == []
    assert counts() == type(counts())(calls=1, attempts=2, callbacks=0, messages=0, events=0)
    call = stored.call(result.call_sid)
    assert (call.outcome, call.answered_by_id, call.conversation_seconds) == (CallOutcome.ANSWERED, aino.id, 95)
    # One job only: the wrap-up question to Aino (helpline.directory.wrap_up), queued once.
    assert queued_jobs() == ["sms-1"]


@pytest.mark.parametrize("recording_callback_first", [False, True])
def test_every_webhook_of_a_message_delivered_twice_makes_one_message_one_callback_one_job(
        recording_callback_first, twice, staffed_line, staff_phones, stored, counts, queued_jobs):
    transport, simulator = twice
    aino, bertil = staffed_line

    simulator.call(CALLER, staff=staff_phones((aino, "voicemail"), (bertil, "decline")),
                   recording_callback_first=recording_callback_first)

    assert {"/voice/recorded", "/voice/recording-status", "/voice/dial-result"} <= set(transport.paths)
    assert transport.differences == []
    assert counts() == type(counts())(calls=1, attempts=2, callbacks=1, messages=1, events=2)
    [callback] = stored.callbacks()
    assert callback.call_count == 1 and callback.has_message
    assert queued_jobs() == [f"callback-{callback.id}-process"]


def test_a_hang_up_without_message_delivered_twice_makes_one_callback_and_one_job(
        twice, office_hours, counts, queued_jobs, stored):
    transport, simulator = twice
    office_hours()

    simulator.call(CALLER, leave_message_seconds=None, hang_up_during_record=True)

    assert transport.differences == []
    assert counts() == type(counts())(calls=1, attempts=0, callbacks=1, messages=0, events=1)
    assert queued_jobs() == [f"callback-{stored.callbacks()[0].id}-process"]


def test_a_late_duplicate_of_a_dial_result_does_not_ring_anyone_again(
        simulator, staffed_line, staff_phones, stored, settings):
    aino, bertil = staffed_line
    result = simulator.call(CALLER, staff=staff_phones((aino, "no-answer"), (bertil, "no-answer")))
    attempts_before = stored.attempts(result.call_sid)

    response = simulator.deliver("/voice/dial-result?attempt=1", {
        "CallSid": result.call_sid, "From": CALLER, "To": settings.twilio_phone_number,
        "CallStatus": "in-progress", "DialCallStatus": "no-answer", "DialCallSid": "CA" + "9" * 32,
        "DialCallDuration": "0", "DialBridged": "false"})

    assert response.status_code == 200 and "<Dial" not in response.text
    assert len(stored.attempts(result.call_sid)) == len(attempts_before) == 2


def test_a_dial_result_saying_completed_without_a_press_of_1_is_not_an_answer(
        simulator, staffed_line, stored, settings):
    call = {"CallSid": "CA" + "4" * 32, "From": CALLER, "To": settings.twilio_phone_number}
    simulator.deliver("/voice/incoming", {**call, "CallStatus": "ringing"})
    simulator.deliver("/voice/language", {**call, "CallStatus": "in-progress"})

    # A voicemail box (or anything that skipped screening) bridged: Twilio says completed and bridged.
    response = simulator.deliver("/voice/dial-result?attempt=1", {
        **call, "CallStatus": "in-progress", "DialCallStatus": "completed", "DialCallSid": "CA" + "5" * 32,
        "DialCallDuration": "30", "DialBridged": "true"})

    assert "<Dial" in response.text  # the next staff member is rung
    assert stored.call(call["CallSid"]).outcome == CallOutcome.IN_PROGRESS
    assert [attempt.result for attempt in stored.attempts(call["CallSid"])] == ["not_accepted", "ringing"]


def test_a_dial_result_for_a_staff_leg_we_have_no_record_of_takes_a_message_and_its_repeat_changes_nothing(
        simulator, staffed_line, stored, counts, settings):
    # Our rows of this call were lost: Twilio reports the end of a leg we never stored.
    params = {"CallSid": "CA" + "6" * 32, "From": CALLER, "To": settings.twilio_phone_number,
              "CallStatus": "in-progress", "DialCallStatus": "no-answer", "DialCallSid": "CA" + "7" * 32}

    first = simulator.deliver("/voice/dial-result?attempt=1", params)
    after_first = counts()
    again = simulator.deliver("/voice/dial-result?attempt=1", params)  # Twilio retries it

    assert "<Record" in first.text and "<Dial" not in first.text
    assert again.text == first.text and counts() == after_first
    assert stored.attempts(params["CallSid"]) == []


@pytest.mark.parametrize("path", ["/voice/dial-result?attempt=99999999999999999999999",
                                  "/voice/screen-choice?attempt=99999999999999999999999&call=CA" + "8" * 32])
def test_an_attempt_number_no_database_could_hold_is_an_unknown_attempt_not_a_failure(
        path, simulator, staffed_line, settings, caplog):
    call = {"CallSid": "CA" + "8" * 32, "From": CALLER, "To": settings.twilio_phone_number}
    simulator.deliver("/voice/incoming", {**call, "CallStatus": "ringing"})
    simulator.deliver("/voice/language", {**call, "CallStatus": "in-progress"})

    response = simulator.deliver(path, {**call, "CallStatus": "in-progress", "Digits": "1",
                                        "DialCallDuration": "9" * 30})

    assert response.status_code == 200
    assert not [record for record in caplog.records if record.exc_info], "the fallback answered"


def test_a_repeated_first_webhook_keeps_the_first_delivery_s_row_and_answers_the_same(
        simulator, office_hours, stored, counts, clock, at_helsinki):
    # The language menu's answer stores the row with one INSERT ... ON CONFLICT DO NOTHING: the
    # repeat inserts nothing, even after the hours changed in between, and answers the same menu.
    clock.set(at_helsinki("2025-03-04 10:00"))  # a Tuesday, inside the default hours
    office_hours()
    params = {"CallSid": "CA" + "d" * 32, "AccountSid": simulator.account_sid, "From": CALLER,
              "To": simulator.line_number, "CallStatus": "ringing", "Direction": "inbound"}
    first = simulator.deliver("/voice/incoming", params)
    office_hours({})  # closed from now on
    again = simulator.deliver("/voice/incoming", params)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.text == first.text and "<Gather" in first.text
    assert counts().calls == 1
    call = stored.call(params["CallSid"])
    assert (call.line_open, call.line_reason, call.caller, call.language) == (True, "open", CALLER, None)
