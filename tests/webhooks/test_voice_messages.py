"""When nobody can answer: the caller hears why and when the line next opens, leaves a message,
and a callback request is stored (and its job queued) before the webhook answers."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpline.models import CallbackStatus, CallOutcome

CALLER = "+358501234567"


def test_with_nobody_on_duty_in_office_hours_the_caller_leaves_a_message_and_a_callback_is_stored(
        simulator, office_hours, stored, elements, settings, queued_jobs):
    office_hours()

    result = simulator.call(CALLER)

    assert result.rang == [] and result.recorded
    assert ("Valitettavasti kukaan ei juuri nyt ehtinyt vastata. Soitamme sinulle takaisin niin pian kuin "
            "mahdollista.") in result.heard_text()
    assert result.heard[-1] == "Kiitos viestistäsi. Soitamme sinulle takaisin. Näkemiin."
    [record] = elements(result.documents, "Record")
    assert record.attrib == {
        "action": f"{settings.public_base_url}/voice/recorded", "method": "POST", "maxLength": "120",
        "finishOnKey": "#", "playBeep": "true",
        "recordingStatusCallback": f"{settings.public_base_url}/voice/recording-status",
        "recordingStatusCallbackMethod": "POST", "recordingStatusCallbackEvent": "completed absent",
    }
    call = stored.call(result.call_sid)
    [callback] = stored.callbacks()
    assert call.outcome == CallOutcome.VOICEMAIL and call.callback_id == callback.id
    assert (callback.caller, callback.status, callback.call_count, callback.has_message) == (
        CALLER, CallbackStatus.NEW, 1, True)
    [message] = callback.messages
    assert (message.recording_sid, message.duration_seconds, message.recording_status) == (
        result.recording_sid, 20, "completed")
    assert message.call_id == call.id
    assert [event.kind for event in callback.events] == ["call", "message"]
    assert queued_jobs() == [f"callback-{callback.id}-process"]


@pytest.mark.parametrize(("moment", "spoken"), [
    ("2027-01-11 18:00", "Olemme taas avoinna huomenna kello 9."),  # Monday evening
    ("2027-01-15 16:30", "Olemme taas avoinna maanantaina kello 9."),  # Friday afternoon
    ("2027-01-12 07:15", "Olemme taas avoinna tänään kello 9."),  # Tuesday morning
])
def test_after_hours_the_caller_hears_when_the_line_next_opens_and_leaves_a_message(
        moment, spoken, simulator, staffed_line, staff_phones, clock, at_helsinki, stored):
    aino, bertil = staffed_line
    clock.set(at_helsinki(moment))

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept"), (bertil, "accept")))

    assert result.rang == []
    assert f"Auttava puhelin on nyt suljettu. {spoken}" in result.heard_text()
    call = stored.call(result.call_sid)
    assert (call.line_open, call.line_reason, call.outcome) == (False, "outside office hours", CallOutcome.VOICEMAIL)
    assert stored.callbacks()[0].has_message


@pytest.mark.parametrize(("press", "spoken"), [
    ("2", "Hjälptelefonen är stängd just nu. Vi har öppet igen i morgon klockan 9."),
    ("3", "The help line is closed right now. We are open again tomorrow at 9 a.m."),
])
def test_a_caller_who_chose_another_language_hears_the_opening_time_in_it(
        press, spoken, simulator, office_hours, clock, at_helsinki):
    office_hours()
    clock.set(at_helsinki("2027-01-11 20:00"))

    result = simulator.call(CALLER, press=press)

    assert spoken in result.heard_text()
    assert not any(".." in line for line in result.heard)  # "9 a.m." ends the sentence once


def test_on_independence_day_the_line_is_closed_and_the_caller_hears_it_reopens_the_next_morning(
        simulator, office_hours, make_staff, make_shift, clock, at_helsinki, stored, staff_phones):
    office_hours()
    clock.set(at_helsinki("2027-12-06 10:00"))  # a Monday, Finland's Independence Day
    aino = make_staff("Aino")
    make_shift(aino, at_helsinki("2027-12-06 08:00"), at_helsinki("2027-12-06 16:00"))

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept")))

    assert result.rang == []
    assert ("Tänään on pyhäpäivä, ja auttava puhelin on suljettu. Olemme taas avoinna huomenna kello 9."
            in result.heard_text())
    call = stored.call(result.call_sid)
    assert not call.line_open and call.line_reason.startswith("public holiday")
    assert stored.callbacks()[0].has_message


def test_during_a_closure_the_caller_hears_the_line_is_closed_and_leaves_a_message(
        simulator, staffed_line, staff_phones, make_closure, at_helsinki, stored):
    aino, bertil = staffed_line
    make_closure(at_helsinki("2027-01-11 00:00"), at_helsinki("2027-01-12 00:00"), reason="staff retreat")

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept")))

    assert result.rang == []
    assert ("Auttava puhelin on tänään poikkeuksellisesti suljettu. Olemme taas avoinna huomenna kello 9."
            in result.heard_text())
    assert stored.call(result.call_sid).line_reason == "closed: staff retreat"
    assert stored.callbacks()[0].has_message


def test_a_caller_who_hangs_up_without_leaving_a_message_still_gets_a_callback_without_message(
        simulator, office_hours, stored, queued_jobs):
    office_hours()

    result = simulator.call(CALLER, leave_message_seconds=None, hang_up_during_record=True)

    assert not result.recorded
    call = stored.call(result.call_sid)
    [callback] = stored.callbacks()
    assert call.outcome == CallOutcome.NO_MESSAGE and call.callback_id == callback.id
    assert not callback.has_message and callback.messages == []
    assert callback.language == "fi"
    assert [event.kind for event in callback.events] == ["call"]
    assert queued_jobs() == [f"callback-{callback.id}-process"]


def test_a_caller_who_stays_silent_at_the_tone_is_thanked_and_still_called_back(simulator, office_hours, stored):
    office_hours()

    result = simulator.call(CALLER, leave_message_seconds=None)

    assert result.heard[-1] == "Kiitos soitostasi. Näkemiin."
    assert not stored.callbacks()[0].has_message


@pytest.mark.parametrize("recording_callback_first", [False, True])
def test_the_record_action_and_the_recording_status_in_either_order_make_one_message_and_one_callback(
        recording_callback_first, simulator, office_hours, stored, counts, queued_jobs):
    office_hours()

    result = simulator.call(CALLER, leave_message_seconds=42, recording_callback_first=recording_callback_first)

    assert (counts().callbacks, counts().messages) == (1, 1)
    [message] = stored.messages()
    assert (message.duration_seconds, message.recording_status) == (42, "completed")
    assert message.recording_url.endswith(f"/Recordings/{result.recording_sid}")
    assert stored.call(result.call_sid).outcome == CallOutcome.VOICEMAIL
    assert len(queued_jobs()) == 1


def test_a_caller_who_hangs_up_while_recording_keeps_the_message(simulator, office_hours, stored):
    office_hours()

    result = simulator.call(CALLER, leave_message_seconds=12, hang_up_during_record=True)

    [callback] = stored.callbacks()
    assert callback.has_message and callback.messages[0].recording_sid == result.recording_sid


def test_a_repeat_caller_joins_their_open_callback_request(simulator, office_hours, clock, stored, queued_jobs):
    office_hours()
    first = simulator.call(CALLER)
    first_at = clock.now()
    clock.advance(minutes=30)

    second = simulator.call(CALLER)

    [callback] = stored.callbacks()
    assert callback.call_count == 2
    assert callback.created_at == first_at and callback.last_call_at == first_at + timedelta(minutes=30)
    assert len(callback.messages) == 2
    assert [event.kind for event in callback.events] == ["call", "message", "call", "message"]
    assert stored.call(first.call_sid).callback_id == stored.call(second.call_sid).callback_id == callback.id
    assert set(queued_jobs()) == {f"callback-{callback.id}-process"}


def test_a_caller_whose_callback_was_closed_gets_a_new_one_when_calling_again(
        simulator, office_hours, line, stored, clock):
    from helpline.models import CallbackRequest

    office_hours()
    simulator.call(CALLER)
    with line.db.session() as session:
        callback = session.get(CallbackRequest, stored.callbacks()[0].id)
        callback.status, callback.closed_at = CallbackStatus.CLOSED.value, clock.now()

    simulator.call(CALLER)

    first, second = stored.callbacks()
    assert (first.status, second.status, second.call_count) == ("closed", "new", 1)


def test_a_withheld_caller_is_counted_but_not_asked_for_a_message_and_gets_no_callback(
        simulator, office_hours, clock, at_helsinki, stored, elements, counts, queued_jobs):
    office_hours()
    clock.set(at_helsinki("2027-01-11 20:00"))

    result = simulator.call(None)

    assert not result.recorded and elements(result.documents, "Record") == []
    assert ("Auttava puhelin on nyt suljettu. Olemme taas avoinna huomenna kello 9. Numerosi ei näy meille, "
            "joten emme voi soittaa sinulle takaisin.") in result.heard_text()
    call = stored.call(result.call_sid)
    assert (call.caller, call.caller_withheld, call.outcome) == (None, True, CallOutcome.NO_MESSAGE)
    assert call.ended_at is not None
    assert counts().callbacks == 0 and queued_jobs() == []


def test_a_recording_that_arrives_after_the_call_ended_still_attaches_its_message(
        simulator, office_hours, stored, settings, counts):
    office_hours()
    call = {"CallSid": "CA" + "1" * 32, "From": CALLER, "To": settings.twilio_phone_number,
            "AccountSid": settings.twilio_account_sid}
    simulator.deliver("/voice/incoming", {**call, "CallStatus": "ringing"})
    simulator.deliver("/voice/language", {**call, "CallStatus": "in-progress"})
    simulator.deliver("/voice/status", {**call, "CallStatus": "completed", "CallDuration": "40"})
    [callback] = stored.callbacks()
    assert not callback.has_message and stored.call(call["CallSid"]).outcome == CallOutcome.NO_MESSAGE

    response = simulator.deliver("/voice/recording-status", {
        "CallSid": call["CallSid"], "AccountSid": settings.twilio_account_sid, "RecordingSid": "RE" + "2" * 32,
        "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE" + "2" * 32,
        "RecordingStatus": "completed", "RecordingDuration": "31"})

    assert response.status_code == 200
    [callback] = stored.callbacks()
    assert callback.has_message and callback.call_count == 1
    stored_call = stored.call(call["CallSid"])
    assert stored_call.outcome == CallOutcome.VOICEMAIL and stored_call.duration_seconds == 40
    assert counts().messages == 1


def test_a_status_callback_for_an_unknown_call_still_records_the_call_and_its_callback(
        simulator, office_hours, stored, settings):
    office_hours()

    response = simulator.deliver("/voice/status", {"CallSid": "CA" + "3" * 32, "From": CALLER,
                                                   "CallStatus": "no-answer", "To": settings.twilio_phone_number,
                                                   "CallDuration": "0"})

    assert response.status_code == 200 and response.content_type.startswith("text/xml")
    assert response.text.endswith("<Response />")

    call = stored.call("CA" + "3" * 32)
    assert call.outcome == CallOutcome.NO_MESSAGE and call.caller == CALLER
    [callback] = stored.callbacks()
    assert callback.caller == CALLER and not callback.has_message
