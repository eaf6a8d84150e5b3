"""When something inside fails, the caller still hears a valid TwiML apology and can leave a
message: never silence, never Twilio's own error message."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from helpline.rota import load as schedule
from helpline.models import CallOutcome

CALLER = "+358501234567"
APOLOGY = "Pahoittelemme, järjestelmässämme on häiriö."


def _drop_table(line, table: str) -> None:
    """Break the database for real: the table the webhooks need is gone."""
    cascade = " CASCADE" if line.db.engine.dialect.name == "postgresql" else ""
    with line.db.engine.begin() as connection:
        connection.execute(text(f'DROP TABLE "{table}"{cascade}'))


def test_with_the_database_broken_the_caller_hears_an_apology_and_can_still_leave_a_message(
        simulator, staffed_line, line, elements, settings, caplog):
    _drop_table(line, "call")

    result = simulator.call(CALLER)

    assert APOLOGY in result.heard[0]
    assert result.recorded
    [record] = elements(result.documents, "Record")
    assert record.get("action") == f"{settings.public_base_url}/voice/recorded"
    assert record.get("recordingStatusCallback") == f"{settings.public_base_url}/voice/recording-status"
    # The recording could not be stored either: the caller is still thanked, and the log keeps it.
    assert result.heard[-1] == "Kiitos viestistäsi. Soitamme sinulle takaisin. Näkemiin."
    assert f"RECORDING NOT STORED: {result.recording_sid}" in caplog.text


def test_a_bug_inside_the_call_flow_still_answers_valid_twiml_that_takes_a_message(
        simulator, staffed_line, settings, monkeypatch, elements):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the schedule")

    monkeypatch.setattr(schedule, "status_at", broken)
    params = {"CallSid": "CA" + "1" * 32, "From": CALLER, "To": settings.twilio_phone_number, "CallStatus": "ringing"}

    response = simulator.deliver("/voice/incoming", params)

    assert response.status_code == 200 and response.content_type.startswith("text/xml")
    assert APOLOGY in response.text
    assert len(elements([response.text], "Record")) == 1


def test_a_withheld_caller_hit_by_an_internal_error_is_told_to_call_again_rather_than_recorded(
        simulator, staffed_line, line, elements):
    _drop_table(line, "call")

    result = simulator.call(None)

    assert APOLOGY in result.heard_text() and "Soita meille uudelleen myöhemmin." in result.heard_text()
    assert elements(result.documents, "Record") == [] and not result.recorded


def test_when_the_hunt_fails_after_a_conversation_the_caller_is_not_asked_for_a_message(
        simulator, staffed_line, line, settings):
    _drop_table(line, "dial_attempt")
    params = {"CallSid": "CA" + "2" * 32, "From": CALLER, "To": settings.twilio_phone_number,
              "CallStatus": "in-progress", "DialCallStatus": "completed", "DialBridged": "true",
              "DialCallDuration": "300"}

    response = simulator.deliver("/voice/dial-result?attempt=1", params)

    assert response.status_code == 200 and "<Hangup" in response.text and "<Record" not in response.text


@pytest.mark.parametrize(("digits", "expected"), [("1", "<Response />"), ("9", "<Hangup />")])
def test_a_staff_member_who_presses_1_while_the_database_is_down_is_still_connected(
        digits, expected, simulator, staffed_line, line, settings):
    parent = {"CallSid": "CA" + "4" * 32, "From": CALLER, "To": settings.twilio_phone_number,
              "CallStatus": "in-progress"}
    simulator.deliver("/voice/incoming", parent)
    assert "<Dial" in simulator.deliver("/voice/language", parent).text
    _drop_table(line, "dial_attempt")
    params = {"CallSid": "CA" + "3" * 32, "ParentCallSid": parent["CallSid"], "Digits": digits,
              "To": "+358401110001", "CallStatus": "in-progress"}

    response = simulator.deliver(f"/voice/screen-choice?call={parent['CallSid']}&attempt=1", params)

    assert response.status_code == 200 and expected in response.text


@pytest.mark.parametrize("path", ["/voice/status", "/voice/recording-status"])
def test_status_callbacks_answer_empty_twiml_even_when_storing_fails(path, simulator, staffed_line, line, settings):
    _drop_table(line, "call")
    params = {"CallSid": "CA" + "5" * 32, "From": CALLER, "CallStatus": "completed", "RecordingSid": "RE" + "5" * 32,
              "RecordingUrl": "https://api.twilio.com/x", "RecordingStatus": "completed"}

    response = simulator.deliver(path, params)

    assert response.status_code == 200 and response.text.endswith("<Response />")


def test_an_error_outside_the_view_still_answers_twiml(simulator, staffed_line, settings, monkeypatch):
    from helpline.services import Services

    def broken_checker(line):
        raise RuntimeError("the signature checker could not be built")

    monkeypatch.setattr(Services, "signature_checker", property(broken_checker))
    params = {"CallSid": "CA" + "6" * 32, "From": CALLER, "To": settings.twilio_phone_number, "CallStatus": "ringing"}

    response = simulator.deliver("/voice/incoming", params)

    assert response.status_code == 200 and APOLOGY in response.text


def test_after_the_database_recovers_a_call_is_handled_normally(simulator, staffed_line, staff_phones, stored):
    aino, _ = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept")))

    assert APOLOGY not in result.heard_text()
    assert stored.call(result.call_sid).outcome == CallOutcome.ANSWERED
